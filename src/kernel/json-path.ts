/**
 * The one JSON path of the product, shared by http `json:` assertions and conditions
 * (`body.$…`). Deliberately tiny: `$`, `.key`, `['key']` / `["key"]` (with `\'`, `\"` and `\\`
 * escapes) and `[index]` (negative counts from the end), plus `.length` on arrays and strings.
 * Wildcards, recursion and filters are out of scope: a path names one value.
 * The syntax is documented once, in docs/json-path.md.
 * @module
 */

/** One step of a parsed path: an object key, or an array index (negative from the end). */
export type JsonPathStep = string | number;

/** A parsed path, or why the text is not one. */
export type ParsedJsonPath = { ok: true; steps: JsonPathStep[] } | { ok: false; error: string };

/** Result of evaluating a path: found with its value, or not found. */
export type JsonPathResult = { found: true; value: unknown } | { found: false };

/**
 * `.key` takes any run of characters but whitespace, dots, brackets, quotes and `*`
 * (so `.content-type` and `.a:b` work); anything else needs the quoted form.
 */
const STEP = /\.([^\s.[\]'"*]+)|\[\s*(-?\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/y;

const HINT = "use .key, [0], [-1], ['key'] or [\"key\"]";

/** Parses `$.a.b[0]['c d']` into steps, or explains what is wrong with it. */
export function parseJsonPath(path: string): ParsedJsonPath {
  if (!path.startsWith('$')) return { ok: false, error: `a JSON path starts with "$", e.g. $.status` };
  const steps: JsonPathStep[] = [];
  STEP.lastIndex = 1;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const match = STEP.exec(path);
    if (!match) return { ok: false, error: unexpected(path.slice(at)) };
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push((match[3] ?? match[4]).replace(/\\(.)/g, '$1'));
  }
  return { ok: true, steps };
}

function unexpected(rest: string): string {
  if (rest.startsWith('..')) return `unexpected "${rest}": recursive descent ("..") is not supported, a path names one value`;
  if (/^(?:\.\*|\[\s*\*)/.test(rest)) return `unexpected "${rest}": wildcards are not supported, a path names one value`;
  return `unexpected "${rest}" (${HINT})`;
}

/** Evaluates parsed `steps` against `root` (a value from `JSON.parse`). */
export function evaluateJsonPath(root: unknown, steps: readonly JsonPathStep[]): JsonPathResult {
  let current: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return { found: false };
      const index = step < 0 ? current.length + step : step;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else if (step === 'length' && (Array.isArray(current) || typeof current === 'string')) {
      current = current.length;
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, step)) {
      current = (current as Record<string, unknown>)[step];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
