/**
 * The parser of the condition language: `subject operator value`, e.g. `status in [200, 204]`.
 * It only checks the shape of the text; what a subject means and which values fit it is decided
 * by compile-condition.ts. The grammar is documented in docs/conditions.md.
 * @module
 */
import { isIP } from 'node:net';
import { parseDuration } from '../kernel/parse-duration.ts';

/** Every operator, in its canonical spelling (`!contains` and `not contains` both give `!contains`). */
const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', '!in', 'contains', '!contains', 'matches', '!matches'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Where a piece of the condition came from, for error messages. Columns are 1-based. */
export interface Located {
  text: string;
  column: number;
}

export type Literal = Located &
  (
    | { kind: 'number'; value: number }
    | { kind: 'duration'; value: number }
    | { kind: 'percent'; value: number }
    | { kind: 'string'; value: string }
    | { kind: 'word'; value: string }
    | { kind: 'ip'; value: string }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'null'; value: null }
    | { kind: 'regex'; value: string; flags: string }
  );

export type Value = Literal | (Located & { kind: 'list'; items: Literal[] });

export interface ConditionAst {
  subject: Located;
  operator: Located & { op: Operator };
  value: Value;
}

/** A syntax or type error: the message plus the offending token and its 1-based column. */
export interface ConditionError {
  message: string;
  token: string;
  column: number;
}

/** Thrown inside the parser only; parseCondition turns it into a returned error. */
class ConditionSyntaxError extends Error {
  readonly detail: ConditionError;
  constructor(detail: ConditionError) {
    super(detail.message);
    this.detail = detail;
  }
}

const SYMBOL_OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
const WORD_OPERATORS: Record<string, Operator> = { in: 'in', contains: 'contains', matches: 'matches' };
const NEGATED: Record<string, Operator> = { in: '!in', contains: '!contains', matches: '!matches' };
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const DURATION = /^\d+(?:\.\d+)?(?:ms|s|m|h|d)$/;
const PERCENT = /^\d+(?:\.\d+)?%$/;
const WORD = /^[A-Za-z_][\w.:/*+-]*$/;
/** Characters that end a bare word on the value side. */
const VALUE_STOP = /[\s,[\]"']/;

/** Parses one condition; returns the syntax tree or the first syntax error with its token. */
export function parseCondition(source: string): { ok: true; ast: ConditionAst } | { ok: false; error: ConditionError } {
  try {
    return { ok: true, ast: new Parser(source).parse() };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { ok: false, error: error.detail };
    throw error;
  }
}

class Parser {
  private pos = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  parse(): ConditionAst {
    this.skipSpace();
    if (this.pos >= this.src.length) this.fail('empty condition: write e.g. status == 200', '', 0);
    const subject = this.subject();
    this.skipSpace();
    const operator = this.operator();
    this.skipSpace();
    const value = this.src[this.pos] === '[' ? this.list() : this.literal();
    this.skipSpace();
    if (this.pos < this.src.length) {
      const rest = this.src.slice(this.pos);
      this.fail(`unexpected "${rest}" after the value (one comparison per condition)`, rest, this.pos);
    }
    return { subject, operator, value };
  }

  /** A variable path; brackets may hold quoted keys with spaces (`body.$["a b"]`). */
  private subject(): Located {
    const start = this.pos;
    while (this.pos < this.src.length && !/[\s=!<>]/.test(this.src[this.pos])) {
      if (this.src[this.pos] === '[') this.skipBracket();
      else this.pos++;
    }
    const text = this.src.slice(start, this.pos);
    if (!text) this.fail(`expected a variable such as status or body, found "${this.peekToken()}"`, this.peekToken(), start);
    return { text, column: start + 1 };
  }

  private skipBracket(): void {
    const open = this.pos++;
    while (this.pos < this.src.length && this.src[this.pos] !== ']') {
      const quote = this.src[this.pos];
      this.pos++;
      if (quote === '"' || quote === "'") {
        // A backslash escapes the next character, so `['it\'s']` stays one key.
        while (this.pos < this.src.length && this.src[this.pos] !== quote) this.pos += this.src[this.pos] === '\\' ? 2 : 1;
        this.pos++;
      }
    }
    if (this.pos >= this.src.length) this.fail('unclosed "["', this.src.slice(open), open);
    this.pos++;
  }

  private operator(): Located & { op: Operator } {
    const start = this.pos;
    for (const symbol of SYMBOL_OPERATORS) {
      if (this.src.startsWith(symbol, this.pos)) {
        this.pos += symbol.length;
        return { op: symbol, text: symbol, column: start + 1 };
      }
    }
    const word = /^(!?)([A-Za-z]+)/.exec(this.src.slice(this.pos));
    const name = word?.[2].toLowerCase() ?? '';
    if (word && Object.hasOwn(WORD_OPERATORS, name)) {
      this.pos += word[0].length;
      return { op: word[1] ? NEGATED[name] : WORD_OPERATORS[name], text: word[0], column: start + 1 };
    }
    if (word && word[1] === '' && name === 'not') {
      this.pos += 3;
      this.skipSpace();
      const next = /^[A-Za-z]+/.exec(this.src.slice(this.pos));
      const negated = next?.[0].toLowerCase() ?? '';
      if (next && Object.hasOwn(NEGATED, negated)) {
        this.pos += next[0].length;
        return { op: NEGATED[negated], text: this.src.slice(start, this.pos), column: start + 1 };
      }
      this.fail('"not" must be followed by in, contains or matches', this.src.slice(start, this.pos + (next?.[0].length ?? 0)), start);
    }
    const token = this.peekToken();
    const hint = token.startsWith('=') ? ' (did you mean "=="?)' : '';
    this.fail(
      token ? `unknown operator "${token}"${hint}; use ==, !=, <, <=, >, >=, in, contains, !contains or matches` : 'missing operator after the variable',
      token,
      start,
    );
  }

  private list(): Value {
    const start = this.pos++;
    const items: Literal[] = [];
    this.skipSpace();
    if (this.src[this.pos] === ']') this.pos++;
    else {
      for (;;) {
        this.skipSpace();
        if (this.src[this.pos] === '[') this.fail('lists cannot be nested', '[', this.pos);
        items.push(this.literal());
        this.skipSpace();
        const char = this.src[this.pos];
        if (char === ',') this.pos++;
        else if (char === ']') {
          this.pos++;
          break;
        } else if (char === undefined) this.fail('unclosed "[": expected "]"', this.src.slice(start), start);
        else this.fail(`expected "," or "]" in the list, found "${this.peekToken()}"`, this.peekToken(), this.pos);
      }
    }
    return { kind: 'list', items, text: this.src.slice(start, this.pos), column: start + 1 };
  }

  private literal(): Literal {
    const start = this.pos;
    const first = this.src[this.pos];
    if (first === '"' || first === "'") return this.quoted(first);
    if (first === '/') return this.regex();
    while (this.pos < this.src.length && !VALUE_STOP.test(this.src[this.pos])) this.pos++;
    const text = this.src.slice(start, this.pos);
    const at = { text, column: start + 1 };
    if (!text) {
      const token = this.peekToken();
      this.fail(token ? `expected a value, found "${token}"` : 'missing value after the operator', token, start);
    }
    if (text === 'true' || text === 'false') return { kind: 'boolean', value: text === 'true', ...at };
    if (text === 'null') return { kind: 'null', value: null, ...at };
    if (NUMBER.test(text)) return { kind: 'number', value: Number(text), ...at };
    if (DURATION.test(text)) return { kind: 'duration', value: parseDuration(text)!, ...at };
    if (PERCENT.test(text)) return { kind: 'percent', value: Number(text.slice(0, -1)), ...at };
    if (isIP(text)) return { kind: 'ip', value: text, ...at };
    if (WORD.test(text)) return { kind: 'word', value: text, ...at };
    this.fail(`"${text}" is not a number, duration (300ms, 14d), percentage (20%), IP address, word or "quoted string"`, text, start);
  }

  private quoted(quote: string): Literal {
    const start = this.pos++;
    let value = '';
    while (this.pos < this.src.length && this.src[this.pos] !== quote) {
      let char = this.src[this.pos++];
      if (char === '\\' && this.pos < this.src.length) {
        const escaped = this.src[this.pos++];
        // Unknown escapes keep their backslash so regex classes like "\d+" survive.
        char = escaped === 'n' ? '\n' : escaped === 't' ? '\t' : '"\'\\'.includes(escaped) ? escaped : `\\${escaped}`;
      }
      value += char;
    }
    if (this.pos >= this.src.length) this.fail(`unterminated string: missing closing ${quote}`, this.src.slice(start), start);
    this.pos++;
    return { kind: 'string', value, text: this.src.slice(start, this.pos), column: start + 1 };
  }

  /** `/pattern/flags`; a `/` inside the pattern is escaped as `\/`. */
  private regex(): Literal {
    const start = this.pos++;
    let pattern = '';
    while (this.pos < this.src.length && this.src[this.pos] !== '/') {
      if (this.src[this.pos] === '\\' && this.src[this.pos + 1] === '/') this.pos++;
      else if (this.src[this.pos] === '\\') pattern += this.src[this.pos++];
      pattern += this.src[this.pos++] ?? '';
    }
    if (this.pos >= this.src.length) this.fail('unterminated regular expression: missing closing /', this.src.slice(start), start);
    this.pos++;
    const flags = /^[a-z]*/.exec(this.src.slice(this.pos))![0];
    this.pos += flags.length;
    return { kind: 'regex', value: pattern, flags, text: this.src.slice(start, this.pos), column: start + 1 };
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  /** The run of non-space characters at the cursor, for messages. */
  private peekToken(): string {
    return /^\S*/.exec(this.src.slice(this.pos))![0];
  }

  private fail(message: string, token: string, index: number): never {
    throw new ConditionSyntaxError({ message, token, column: index + 1 });
  }
}
