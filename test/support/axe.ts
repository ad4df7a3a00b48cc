/**
 * axe-core in a Chromium page: the serious and critical violations of what the page shows now.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[]; failureSummary?: string }[];
}

let source: string | undefined;

/**
 * Injects axe-core (the page needs `bypassCSP: true`: the page's CSP still applies to its own
 * scripts) and runs it on the document: one line per serious or critical node,
 * `<label> <rule> <selector>: <what fails>`.
 */
export async function seriousAxeViolations(page: Page, label = ''): Promise<string[]> {
  source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((node) => `${label ? `${label} ` : ''}${v.id} ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`));
}
