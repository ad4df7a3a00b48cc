/**
 * A deliberately tiny JSON-path evaluator for `json:` assertions: `$`, `.key`, `['key']` /
 * `["key"]` and `[index]` (negative counts from the end), plus `.length` on arrays and strings.
 * Wildcards and filters are out of scope: an assertion names one value.
 * @module
 */

/** One step of a parsed path. */
type Step = string | number;

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[\s*(-?\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;

/** Parses `$.a.b[0]['c d']` into steps; undefined when the path is not understood. */
export function parseJsonPath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let rest = path.slice(1);
  while (rest.length) {
    const match = STEP.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push((match[3] ?? match[4]).replace(/\\(.)/g, '$1'));
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** Result of evaluating a path: found with its value, or not found. */
export type JsonPathResult = { found: true; value: unknown } | { found: false };

/** Evaluates parsed `steps` against `root`. */
export function evaluateJsonPath(root: unknown, steps: readonly Step[]): JsonPathResult {
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
