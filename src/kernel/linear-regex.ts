/**
 * User-supplied regular expressions (`bodyMatches`, `headersMatch`, `matches`, `expect: { regex }`,
 * step extraction) run on RE2JS, an RE2-class engine: matching time grows linearly with the text,
 * never exponentially as with a backtracking engine. A target's body is hostile input, and a
 * backtracking match on it would stall the whole process (every check, the page, `/healthz`).
 *
 * RE2 syntax is JavaScript's minus what needs backtracking: no lookahead/lookbehind, no
 * backreferences. Such patterns are refused at config load with the engine's reason.
 * @module
 */
import { RE2JS } from 're2js';

/** Flags a pattern may carry; `g`/`y` are accepted and ignored (they only make JS matching stateful). */
const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0, // RE2 always matches by code point
  g: 0,
  y: 0,
};

/**
 * The most instructions a compiled pattern may have. Matching costs up to (instructions × text
 * length) steps, so a pattern like `(?:[abc]{3}){300}` (~900 instructions) is linear but with a
 * huge constant: on 64 KiB of a hostile body it took 1.5 s to test and 10 s to extract captures on
 * a loaded 2-core host. Past this bound the config is refused instead of a check stalling.
 */
export const MAX_PROGRAM_SIZE = 500;

/** A compiled linear-time pattern. */
export interface LinearRegex {
  /** The pattern as written. */
  readonly source: string;
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** The whole match and its groups (`[match, group1, …]`; unmatched groups are undefined), or null. */
  exec(text: string): [string, ...(string | undefined)[]] | null;
}

/** A pattern the linear engine cannot run (bad syntax, backtracking-only syntax, unknown flag, too large). */
class RegexSyntaxError extends Error {
  override name = 'RegexSyntaxError';
}

/** Compiles `source` with JS-style `flags` (`i`, `m`, `s`, `u`; `g`/`y` ignored). Throws `RegexSyntaxError`. */
export function compileLinearRegex(source: string, flags = ''): LinearRegex {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) throw new RegexSyntaxError(`unsupported flag "${flag}" (use i, m, s or u)`);
    bits |= bit;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, bits);
  } catch (error) {
    throw new RegexSyntaxError(explain((error as Error).message), { cause: error });
  }
  const size = programSize(compiled);
  if (size > MAX_PROGRAM_SIZE) {
    throw new RegexSyntaxError(`pattern is too large (${size} instructions, at most ${MAX_PROGRAM_SIZE}): use smaller repeat counts`);
  }
  return {
    source,
    test: (text) => compiled.test(text),
    exec(text) {
      // the capture search is the slower machine: ask the fast matcher first whether there is a match
      if (!compiled.test(text)) return null;
      const matcher = compiled.matcher(text);
      if (!matcher.find()) return null;
      const groups: [string, ...(string | undefined)[]] = [matcher.group(0) ?? ''];
      for (let i = 1; i <= matcher.groupCount(); i++) groups.push(matcher.group(i) ?? undefined);
      return groups;
    },
  };
}

/** How many compiled patterns `linearRegex` keeps; a config has far fewer distinct ones. */
const MEMO_SIZE = 1000;
const memo = new Map<string, LinearRegex>();

/**
 * `compileLinearRegex`, memoised: probes match the same configured patterns on every run, and a
 * large pattern takes milliseconds to compile. Config travels as plain data (agents get it as
 * JSON), so the compiled form cannot live in the config itself. A pure function's memo holds no
 * state anyone can observe, which is why one table per process is fine here.
 */
export function linearRegex(source: string, flags = ''): LinearRegex {
  const key = `${flags}/${source}`;
  let compiled = memo.get(key);
  if (!compiled) {
    compiled = compileLinearRegex(source, flags);
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    memo.set(key, compiled);
  }
  return compiled;
}

/** Why `source` cannot run on the linear engine, or undefined when it can. */
export function linearRegexProblem(source: string, flags = ''): string | undefined {
  try {
    compileLinearRegex(source, flags);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function programSize(compiled: RE2JS): number {
  // RE2JS exposes its compiled program; its instruction count is what matching time scales with
  const prog = (compiled.re2() as unknown as { prog?: { numInst?(): number; inst?: unknown[] } }).prog;
  return prog?.numInst?.() ?? prog?.inst?.length ?? 0;
}

/** RE2's "invalid or unsupported Perl syntax: `(?=`" reads better with what to do about it. */
function explain(message: string): string {
  const reason = message.replace(/^error parsing regexp: /, '');
  if (/\(\?[=!]|\(\?<[=!]/.test(reason)) return `${reason} (lookaround needs backtracking, which the linear-time engine does not do)`;
  if (/invalid escape sequence: `\\[1-9]/.test(reason)) return `${reason} (backreferences need backtracking, which the linear-time engine does not do)`;
  if (/invalid escape sequence: `\\u/.test(reason)) return `${reason} (write a code point as \\x{00a0}, or a Unicode class such as \\p{Zs})`;
  return reason;
}
