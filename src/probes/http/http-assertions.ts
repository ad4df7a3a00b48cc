/**
 * The http check's built-in assertions, in the order a person would read a failing response:
 * status, then headers, then body text, then JSON values. The first failure wins.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type { Failure } from '../../domain/result.ts';
import { describePattern, excerpt, matchesPattern } from '../tcp/text-pattern.ts';
import { linearRegex } from '../../kernel/linear-regex.ts';
import type { HttpConfig } from './http-config.ts';
import { evaluateJsonPath, parseJsonPath } from '../../kernel/json-path.ts';
import { describeRanges, statusMatches } from './status-ranges.ts';

/** The parts of a response the assertions look at. */
export interface ResponseFacts {
  statusCode: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The kept (capped) body text. */
  body: string;
  /** True when `body` is only the start of a longer body. */
  truncated: boolean;
}

type Assertions = Pick<HttpConfig, 'expectStatus' | 'headersMatch' | 'bodyContains' | 'bodyMatches' | 'json'>;

/** Returns the first failed assertion, or undefined when the response passes them all. */
export function checkResponse(config: Assertions, response: ResponseFacts): Failure | undefined {
  if (!statusMatches(config.expectStatus, response.statusCode)) {
    return { class: 'status', message: `status ${response.statusCode}, expected ${describeRanges(config.expectStatus)}` };
  }
  for (const [name, pattern] of Object.entries(config.headersMatch ?? {})) {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) return { class: 'body', message: `header ${name} is missing (expected ${describePattern(pattern)})` };
    if (!matchesPattern(pattern, value)) {
      return { class: 'body', message: `header ${name} is ${excerpt(value)}, expected ${describePattern(pattern)}` };
    }
  }
  const scope = response.truncated ? ' (only the first part of the body is checked)' : '';
  if (config.bodyContains !== undefined && !response.body.includes(config.bodyContains)) {
    return { class: 'body', message: `body does not contain ${JSON.stringify(config.bodyContains)}${scope}` };
  }
  if (config.bodyMatches !== undefined && !linearRegex(config.bodyMatches).test(response.body)) {
    return { class: 'body', message: `body does not match /${config.bodyMatches}/${scope}` };
  }
  if (config.json && Object.keys(config.json).length) return checkJson(config.json, response.body, response.truncated);
  return undefined;
}

function checkJson(expectations: Record<string, unknown>, body: string, truncated: boolean): Failure | undefined {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    const why = truncated ? 'the body is larger than the kept part, so it cannot be parsed' : `got ${excerpt(body)}`;
    return { class: 'body', message: `body is not valid JSON (${why})` };
  }
  for (const [path, expected] of Object.entries(expectations)) {
    const parsed = parseJsonPath(path);
    // The config schema has already rejected bad paths; a bad one here finds nothing.
    const result = parsed.ok ? evaluateJsonPath(document, parsed.steps) : { found: false as const };
    if (!result.found) return { class: 'body', message: `${path} is missing from the JSON body (expected ${JSON.stringify(expected)})` };
    if (!isDeepStrictEqual(result.value, expected)) {
      const shown = JSON.stringify(result.value) ?? 'undefined';
      return { class: 'body', message: `${path} is ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}, expected ${JSON.stringify(expected)}` };
    }
  }
  return undefined;
}
