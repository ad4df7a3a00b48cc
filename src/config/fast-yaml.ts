/**
 * The fast path of config parsing. `yaml`'s Document keeps a node, a range and a source token for
 * every scalar so that errors can name a line; on a 100,000-check file that is ~12 CPU-s and
 * ~800 MB. js-yaml builds plain values only (~1 CPU-s, ~150 MB), so a well-formed config is read
 * with it, and the Document is built only when something has to be reported (yaml-source.ts).
 *
 * The fast path must never accept a file differently from the slow one. It therefore:
 * - resolves scalars with exactly YAML 1.2's core schema, as `yaml` does (js-yaml's own core
 *   schema also reads `0b101` and `-0x1` as numbers);
 * - gives up (returns undefined) on anything the slow path would report or treat specially: a
 *   syntax error, duplicate key, unknown tag, undefined alias, nesting deeper than `maxDepth`,
 *   aliases expanding past `maxValues` values, or an unset `${VAR}`.
 * @module
 */
import jsYaml from 'js-yaml';

/** Integers of the YAML 1.2 core schema: decimal, `0o` octal and `0x` hexadecimal. */
const coreInt = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => /^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$/.test(data),
  construct: (data: string) => {
    if (data.startsWith('0o')) return Number.parseInt(data.slice(2), 8);
    if (data.startsWith('0x')) return Number.parseInt(data.slice(2), 16);
    return Number(data);
  },
  predicate: (value: unknown) => Number.isInteger(value),
});

/** Floats of the YAML 1.2 core schema, including `.inf` and `.nan` in their three spellings. */
const coreFloat = new jsYaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) =>
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(data) || /^[-+]?\.(?:inf|Inf|INF)$/.test(data) || /^\.(?:nan|NaN|NAN)$/.test(data),
  construct: (data: string) => {
    if (/nan$/i.test(data)) return Number.NaN;
    if (/inf$/i.test(data)) return data.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number(data);
  },
  predicate: (value: unknown) => typeof value === 'number' && !Number.isInteger(value),
});

/** js-yaml's built-in types; exported at runtime, missing from @types/js-yaml. */
const builtIn = (jsYaml as unknown as { types: Record<'null' | 'bool' | 'merge', jsYaml.Type> }).types;

const CONFIG_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtIn.null, builtIn.bool, coreInt, coreFloat, builtIn.merge],
});

export interface FastParseLimits {
  maxDepth: number;
  maxValues: number;
}

/**
 * Parses `text` and substitutes `${VAR}` references with `substitute`, or returns undefined when
 * the slow path must take over (see the module comment). `substitute` returns undefined for an
 * unset variable.
 */
export function parseConfigFast(text: string, limits: FastParseLimits, substitute: (s: string) => string | undefined): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: CONFIG_SCHEMA });
  } catch {
    return undefined;
  }
  if (!withinLimits(value, limits)) return undefined;
  const substituted = substituteAll(value, substitute);
  return substituted.ok ? { value: substituted.value } : undefined;
}

/** Walks the value with an explicit stack, counting every use of a shared (aliased) object. */
function withinLimits(root: unknown, { maxDepth, maxValues }: FastParseLimits): boolean {
  let count = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (++count > maxValues) return false;
    if (!value || typeof value !== 'object') continue;
    if (depth > maxDepth) return false;
    for (const item of Array.isArray(value) ? value : Object.values(value)) stack.push({ value: item, depth: depth + 1 });
  }
  return true;
}

/**
 * Replaces every string (values and keys) by its substitution. Each object is rewritten once even
 * when aliases share it: substituting twice would expand a `$${X}` escape a second time.
 */
function substituteAll(root: unknown, substitute: (s: string) => string | undefined): { ok: boolean; value: unknown } {
  const done = new Set<object>();
  let ok = true;
  const text = (s: string): string => {
    if (!s.includes('$')) return s;
    const replaced = substitute(s);
    if (replaced === undefined) ok = false;
    return replaced ?? s;
  };
  const stack: object[] = [];
  const rootValue = typeof root === 'string' ? text(root) : root;
  if (rootValue && typeof rootValue === 'object') stack.push(rootValue);
  while (stack.length && ok) {
    const node = stack.pop()!;
    if (done.has(node)) continue;
    done.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        if (typeof node[i] === 'string') node[i] = text(node[i]);
        else if (node[i] && typeof node[i] === 'object') stack.push(node[i]);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const newKey = text(key);
      const newItem = typeof item === 'string' ? text(item) : item;
      if (newKey !== key) {
        // rebuilding keeps key order, which messages and check order depend on
        const entries = Object.entries(record).map(([k, v]) => (k === key ? [newKey, newItem] : [k, v]));
        for (const k of Object.keys(record)) delete record[k];
        Object.assign(record, Object.fromEntries(entries));
      } else if (newItem !== item) record[key] = newItem;
      if (newItem && typeof newItem === 'object') stack.push(newItem);
    }
  }
  return { ok, value: rootValue };
}
