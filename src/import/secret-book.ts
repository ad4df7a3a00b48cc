/**
 * Secrets found while importing (passwords, tokens, webhook URLs) become `${ENV}` references in
 * the written config. The book hands out stable, unique variable names and remembers the values
 * so the CLI can write them to a separate env file when asked — never into the config.
 * @module
 */

/** A placeholder that survives YAML emission and becomes `${NAME}` in the final text. */
const MARK = '\u2983env:';
const MARK_END = '\u2984';

export interface SecretBook {
  /** The reference to put in the config for `value`, named after `hint` (e.g. ['slack', 'ops', 'url']). */
  ref(hint: readonly string[], value: string): string;
  /** A reference to a variable the source already used (e.g. Gatus `${SLACK_URL}`), value unknown. */
  external(name: string): string;
  /** Every variable the config needs, with the value when the import knows it. Sorted by name. */
  entries(): { name: string; value?: string }[];
}

/** UPPER_SNAKE from free text: `My API (prod)` → `MY_API_PROD`. */
function envWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

export function createSecretBook(prefix: string): SecretBook {
  const byName = new Map<string, string | undefined>();
  return {
    ref(hint, value) {
      const base = envWord([prefix, ...hint].join('_')) || `${prefix}_SECRET`;
      let name = /^[A-Z_]/.test(base) ? base : `_${base}`;
      for (let n = 2; byName.has(name) && byName.get(name) !== value; n++) name = `${base}_${n}`;
      byName.set(name, value);
      return `${MARK}${name}${MARK_END}`;
    },
    external(name) {
      if (!byName.has(name)) byName.set(name, undefined);
      return `${MARK}${name}${MARK_END}`;
    },
    entries() {
      return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => (value === undefined ? { name } : { name, value }));
    },
  };
}

/**
 * Makes emitted YAML text safe for the config loader: a literal `$` before `$` or `{` is doubled
 * (the loader reads `$$` as `$`), then placeholders become `${NAME}`.
 */
export function finishEnvReferences(text: string): string {
  return text.replace(/\$(?=[${])/g, '$$$$').replace(/\u2983env:([A-Za-z0-9_]+)\u2984/g, '${$1}');
}

/** True when `value` holds a placeholder from a secret book. */
export function isSecretRef(value: unknown): boolean {
  return typeof value === 'string' && value.includes(MARK);
}
