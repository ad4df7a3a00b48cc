/**
 * Variables of a multi-step check: `extract:` rules that read a value from a step's response
 * (a JSON path, a header, a regex capture), and `{{name}}` placeholders that later steps use in
 * their URL, headers, body and auth. `{{…}}` rather than `${…}` because `${…}` is taken by
 * environment substitution at config load.
 * @module
 */
import { z } from 'zod';
import { evaluateJsonPath, parseJsonPath } from '../../kernel/json-path.ts';
import { valueText } from '../database/database-config.ts';
import { regexSchema } from '../tcp/text-pattern-schema.ts';
import { linearRegex } from '../../kernel/linear-regex.ts';

/** Longest value a variable keeps; a token or an id, never a document. */
const MAX_VARIABLE_CHARS = 8 * 1024;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;

/** One rule: `{ json: "$.token" }`, `{ header: "location" }`, `{ regex: "id=(\\d+)" }` or header + regex. */
export const extractRuleSchema = z.union(
  [
    z.strictObject({
      json: z.string().superRefine((path, ctx) => {
        const parsed = parseJsonPath(path);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `must be a JSON path like $.token: ${parsed.error}` });
      }),
    }),
    z.strictObject({ header: z.string().min(1), regex: regexSchema.optional() }),
    z.strictObject({ regex: regexSchema }),
  ],
  { error: 'must be { json: $.path }, { header: name }, { header: name, regex: … } or { regex: … }' },
);

export type ExtractRule = z.output<typeof extractRuleSchema>;

/** The parts of a response extraction reads. */
export interface ExtractSource {
  body: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

/** The value a rule extracts, or why it could not. */
export function extract(rule: ExtractRule, source: ExtractSource): { value: string } | { why: string } {
  if ('json' in rule) {
    let document: unknown;
    try {
      document = JSON.parse(source.body);
    } catch {
      return { why: 'the body is not valid JSON' };
    }
    const parsed = parseJsonPath(rule.json);
    const found = parsed.ok ? evaluateJsonPath(document, parsed.steps) : ({ found: false } as const);
    return found.found ? { value: cap(valueText(found.value)) } : { why: `${rule.json} is missing from the JSON body` };
  }
  const text = 'header' in rule ? source.headers[rule.header.toLowerCase()] : source.body;
  if (text === undefined) return { why: `there is no ${(rule as { header: string }).header} header` };
  if (!rule.regex) return { value: cap(text) };
  const match = linearRegex(rule.regex).exec(text);
  if (!match) return { why: `/${rule.regex}/ does not match the ${'header' in rule ? `${rule.header} header` : 'body'}` };
  return { value: cap(match[1] ?? match[0]) };
}

function cap(text: string): string {
  return text.length > MAX_VARIABLE_CHARS ? text.slice(0, MAX_VARIABLE_CHARS) : text;
}

/** Names of the `{{placeholders}}` anywhere in `value` (strings, arrays, objects). */
export function placeholdersIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const match of value.matchAll(PLACEHOLDER)) into.add(match[1]);
  else if (Array.isArray(value)) for (const item of value) placeholdersIn(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) placeholdersIn(item, into);
  return into;
}

/** A deep copy of `value` with every placeholder replaced (names are checked at config load). */
export function substitute<T>(value: T, variables: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (match, name: string) => variables.get(name) ?? match) as T;
  if (Array.isArray(value)) return value.map((item) => substitute(item, variables)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, variables)])) as T;
  }
  return value;
}
