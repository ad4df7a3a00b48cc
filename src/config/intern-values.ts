/**
 * Shares structurally equal config sub-objects between checks. Every check's normalized config
 * carries the same small objects — `confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 }`,
 * `regions: ['local']`, `conditions: []`, an http probe's default `expectStatus` and `tls` —
 * and the schema's defaults are copied per check. At 100,000 checks those copies are a large
 * part of the config's live heap; interned, each distinct value exists once.
 *
 * Interned values are frozen: they are shared, so a change through one check would silently
 * change every other. Only plain objects and arrays of JSON-like values are interned; anything
 * else (a RegExp, a class instance, a function) is left as it is, and so is every object that
 * contains one (its plain children are still interned).
 * @module
 */

/** Interns values for one config load; drop it afterwards (it holds every distinct value). */
export interface Interner {
  /**
   * The canonical instance of a value equal to `value` (same keys in the same order, same
   * leaves), registering `value` if it is the first. Plain children are interned first and put
   * in place in `value`.
   */
  intern<T>(value: T): T;
}

function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The key of a primitive; undefined for what cannot be interned (functions, symbols). */
function leafKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `${value}n`;
    default:
      return value === null ? 'null' : undefined;
  }
}

export function createInterner(): Interner {
  const canonical = new Map<string, object>();
  // key of every canonical value, so a parent holding one does not walk it again
  const keys = new WeakMap<object, string>();

  /** Interns `value` in place of itself; returns the canonical value and its key (undefined: not internable). */
  function visit(value: unknown): { value: unknown; key: string | undefined } {
    if (!value || typeof value !== 'object') return { value, key: leafKey(value) };
    const known = keys.get(value);
    if (known !== undefined) return { value, key: known };
    const record = value as Record<string, unknown>;
    const array = Array.isArray(value);
    const writable = !Object.isFrozen(value);
    let internable = isPlain(value);
    const parts: string[] = [];
    for (const name of Object.keys(record)) {
      const child = visit(record[name]);
      if (child.value !== record[name] && writable) record[name] = child.value;
      if (child.key === undefined) internable = false;
      else if (internable) parts.push(array ? child.key : `${JSON.stringify(name)}:${child.key}`);
    }
    if (!internable) return { value, key: undefined };
    const prefix = array ? '[' : Object.getPrototypeOf(value) === null ? 'N{' : '{';
    const key = `${prefix}${parts.join(',')}${array ? ']' : '}'}`;
    const found = canonical.get(key);
    if (found) return { value: found, key };
    Object.freeze(value);
    canonical.set(key, value);
    keys.set(value, key);
    return { value, key };
  }

  return { intern: <T>(value: T) => visit(value).value as T };
}
