/**
 * The `browser` check's config: a start URL and a script of steps, each one action —
 * `goto`, `click`, `fill`, `expectText` — so a script reads like what a person would do.
 * @module
 */
import { z } from 'zod';
import { isHttpUrl } from '../../kernel/http-url.ts';

/** Where Debian's `chromium` package installs the browser. */
const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Largest screenshot kept in a result (bytes of JPEG, before base64). */
export const MAX_SCREENSHOT_BYTES = 96 * 1024;


const url = z.string().trim().refine(isHttpUrl, 'must be an absolute http(s) URL');
const selector = z.string().min(1, 'must be a CSS selector or a Playwright selector');

/** One step; exactly one action key. */
const browserStepSchema = z.union(
  [
    z.strictObject({ goto: url }),
    z.strictObject({ click: selector }),
    z.strictObject({ fill: z.strictObject({ selector, value: z.string() }) }),
    z.strictObject({ expectText: z.union([z.string().min(1), z.strictObject({ selector: selector.optional(), text: z.string().min(1) })]) }),
  ],
  { error: 'must be one of { goto: url }, { click: selector }, { fill: { selector, value } }, { expectText: text | { selector, text } }' },
);

export type BrowserStep = z.output<typeof browserStepSchema>;

export const browserConfigSchema = z.strictObject({
  /** Page opened first; steps continue from it. */
  url,
  steps: z.array(browserStepSchema).max(50, 'may have at most 50 steps').default([]),
  /** Fail when the first page answers with this status or above (default 400). */
  maxStatus: z.number().int().min(100).max(600).default(400),
  viewport: z.strictObject({ width: z.number().int().min(200).max(1920), height: z.number().int().min(200).max(1080) }).default({ width: 1024, height: 768 }),
  /** Take a screenshot when a step fails (kept in the result's details, for admins). */
  screenshotOnFailure: z.boolean().default(true),
  /** The Chromium binary; browser checks run only where it exists. */
  executablePath: z.string().min(1).default(DEFAULT_CHROMIUM_PATH),
});

export type BrowserConfig = z.output<typeof browserConfigSchema>;

/** Short text of a step for messages: `click "#submit"`. */
export function describeStep(step: BrowserStep): string {
  if ('goto' in step) return `goto ${step.goto}`;
  if ('click' in step) return `click ${JSON.stringify(step.click)}`;
  if ('fill' in step) return `fill ${JSON.stringify(step.fill.selector)}`;
  const expected = step.expectText;
  return typeof expected === 'string' ? `expectText ${JSON.stringify(expected)}` : `expectText ${JSON.stringify(expected.text)} in ${JSON.stringify(expected.selector ?? 'body')}`;
}
