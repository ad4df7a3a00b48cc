/**
 * Every YAML example in README.md must be a valid Upstate config (fragments are completed with
 * the checks they refer to), so the documentation cannot drift from the schema.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from './config/load-config.ts';
import { formatIssue, ConfigError } from './config/config-error.ts';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);

/** Checks that README fragments refer to (by name or group). */
const SUPPORTING_CHECKS = `
  - name: API
    group: Backend
    http: { url: "https://api.example.com/health" }
  - name: Pay
    group: Payments
    http: { url: "https://pay.example.com/health" }
`;

function complete(block: string): string {
  const supporting = SUPPORTING_CHECKS.split(/(?=\n  - name:)/)
    .filter((entry) => !block.includes(`- name: ${/- name: (.*)/.exec(entry)?.[1]}\n`))
    .join('');
  if (/^- name:/m.test(block)) return `checks:\n${block.replace(/^/gm, '  ')}${supporting}`;
  if (/^conditions:/m.test(block)) {
    // a fragment of one check
    return `checks:\n  - name: Conditional\n    http: { url: "https://x.example.com/" }\n${block.replace(/^/gm, '    ')}`;
  }
  if (/^checks:/m.test(block)) return block;
  return `checks:${supporting}\n${block}`;
}

/** Plausible values for the secrets README examples reference (webhook channels check their hosts). */
function envValue(name: string): string {
  if (name.startsWith('SLACK')) return 'https://hooks.slack.com/services/T000/B000/XXXX';
  if (name.startsWith('TEAMS')) return 'https://example.webhook.office.com/webhookb2/abc';
  if (name.startsWith('DISCORD')) return 'https://discord.com/api/webhooks/1/abc';
  return `dummy-${name}-value-long-enough`;
}

describe('README examples', () => {
  it('has YAML examples', () => assert.ok(BLOCKS.length >= 5, `found ${BLOCKS.length}`));
  BLOCKS.forEach((block, index) => {
    it(`example ${index + 1} (${block.split('\n')[0].trim()}) is a valid config`, () => {
      const env = new Proxy({} as Record<string, string>, { get: (_t, name) => envValue(String(name)) });
      try {
        parseConfig(complete(block), '/docs/README.yaml', { env });
      } catch (error) {
        if (error instanceof ConfigError) assert.fail(error.issues.map(formatIssue).join('\n') + '\n---\n' + complete(block));
        throw error;
      }
    });
  });
});
