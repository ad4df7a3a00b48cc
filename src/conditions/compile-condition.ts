/**
 * Compiles a condition text once, at config load, into a pure predicate over probe outcomes.
 * Compilation type-checks the comparison (a duration against a string, `in` without a list, an
 * unknown DNS rcode, a bad regex… are errors naming the bad token), so evaluation never meets
 * a malformed condition: it only meets missing values, which fail the condition.
 * @module
 */
import type { ProbeOutcome } from '../domain/result.ts';
import { createOutcomeView, type OutcomeView } from './outcome-view.ts';
import { parseCondition, type ConditionError, type Literal, type Operator } from './parse-condition.ts';
import { resolveVariable, type Variable, type VariableType } from './variables.ts';
import { describeValue } from './describe-value.ts';
import { compileLinearRegex, type LinearRegex } from '../kernel/linear-regex.ts';

export type { ConditionError } from './parse-condition.ts';

/** One condition's verdict on one outcome. `actual` shows the value tested, or why there was none. */
export interface ConditionResult {
  passed: boolean;
  text: string;
  actual?: string;
}

export interface CompiledCondition {
  /** The condition as written (trimmed). */
  readonly text: string;
  /** Canonical name of the tested variable (`status`, `header.content-type`, `body.$.id`, …). */
  readonly variable: string;
  /**
   * Pure. Pass a shared `view` when evaluating several conditions on one outcome so the body
   * is parsed as JSON only once.
   */
  evaluate(outcome: ProbeOutcome, view?: OutcomeView): ConditionResult;
}

export type CompileResult = { ok: true; condition: CompiledCondition } | { ok: false; error: ConditionError };

type Test = (value: unknown) => boolean;
type BaseOp = '==' | '<' | '<=' | '>' | '>=' | 'in' | 'contains' | 'matches';

const NEGATION: Partial<Record<Operator, BaseOp>> = { '!=': '==', '!in': 'in', '!contains': 'contains', '!matches': 'matches' };
const ORDER: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};
const RCODES = new Set(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE']);
const TYPE_NAMES: Record<VariableType, string> = {
  number: 'a number',
  duration: 'a duration',
  percent: 'a percentage',
  text: 'text',
  json: 'a JSON value',
  rcode: 'a DNS response code',
  list: 'a list',
  boolean: 'a boolean',
};
const KIND_NAMES: Record<Literal['kind'], string> = {
  number: 'a number',
  duration: 'a duration',
  percent: 'a percentage',
  string: 'a string',
  word: 'a word',
  ip: 'an IP address',
  boolean: 'a boolean',
  null: 'null',
  regex: 'a regular expression',
};

/** Thrown while checking a condition only; compileCondition returns it as data. */
class TypeCheckError extends Error {
  readonly detail: ConditionError;
  constructor(detail: ConditionError) {
    super(detail.message);
    this.detail = detail;
  }
}

/** Parses and type-checks a condition; see docs/conditions.md for the language. */
export function compileCondition(source: string): CompileResult {
  const parsed = parseCondition(source);
  if (!parsed.ok) return parsed;
  const { subject, operator, value } = parsed.ast;
  const variable = resolveVariable(subject);
  if (!('read' in variable)) return { ok: false, error: variable };
  const negate = operator.op in NEGATION;
  const op = NEGATION[operator.op] ?? (operator.op as BaseOp);
  let test: Test;
  try {
    if (op === 'in') {
      if (value.kind !== 'list') fail(`"${operator.text}" needs a list like [200, 204], not ${KIND_NAMES[value.kind]}`, value);
      if (!value.items.length) fail('the list is empty, so the condition could never pass', value);
      const tests = value.items.map((item) => equality(variable, item));
      test = (actual) => tests.some((one) => one(actual));
    } else {
      if (value.kind === 'list') fail(`a list only goes with "in" or "not in", not "${operator.text}"`, value);
      test = predicate(variable, op, value, operator.text);
    }
  } catch (error) {
    if (error instanceof TypeCheckError) return { ok: false, error: error.detail };
    throw error;
  }
  const text = source.trim();
  return {
    ok: true,
    condition: {
      text,
      variable: variable.name,
      evaluate(outcome, view = createOutcomeView(outcome)) {
        const lookup = variable.read(view);
        if (!lookup.found) return { passed: false, text, actual: lookup.why };
        return { passed: test(lookup.value) !== negate, text, actual: describeValue(variable.type, lookup.value) };
      },
    },
  };
}

function predicate(variable: Variable, op: BaseOp, literal: Literal, opText: string): Test {
  if (op === '==') return equality(variable, literal);
  if (op === 'matches') return matches(variable, literal);
  if (op === 'contains') return contains(variable, literal);
  return ordering(variable, ORDER[op], literal, opText);
}

/** `==` and each item of `in`: the literal must be of the variable's type. */
function equality(variable: Variable, literal: Literal): Test {
  const { type, name } = variable;
  if (literal.kind === 'regex') mismatch(variable, literal);
  switch (type) {
    case 'number':
      if (literal.kind !== 'number') mismatch(variable, literal);
      return (value) => value === literal.value;
    case 'duration':
      if (literal.kind !== 'duration' && literal.kind !== 'number') mismatch(variable, literal);
      return (value) => value === literal.value;
    case 'percent':
      if (literal.kind !== 'percent' && literal.kind !== 'number') mismatch(variable, literal);
      return (value) => value === literal.value;
    case 'boolean':
      if (literal.kind !== 'boolean') mismatch(variable, literal);
      return (value) => value === literal.value;
    case 'text': {
      const expected = textOf(variable, literal);
      return (value) => value === expected;
    }
    case 'json':
      if (literal.kind === 'duration') fail(`${name} is a JSON value without a unit; write a plain number instead of ${literal.text}`, literal);
      return (value) => jsonEquals(value, literal);
    case 'rcode': {
      if (literal.kind !== 'word' && literal.kind !== 'string') mismatch(variable, literal);
      const code = String(literal.value).toUpperCase();
      if (!RCODES.has(code)) fail(`unknown DNS response code ${literal.text}; use one of ${[...RCODES].join(', ')}`, literal);
      return (value) => value === code;
    }
    case 'list':
      return fail(`${name} is a list; test it with "contains" or "!contains"`, literal);
  }
}

function ordering(variable: Variable, compare: (a: number, b: number) => boolean, literal: Literal, opText: string): Test {
  const { type, name } = variable;
  const numeric = literal.kind === 'number' || (literal.kind === 'duration' && type === 'duration') || (literal.kind === 'percent' && type === 'percent');
  if ((type === 'duration' || type === 'percent') && numeric) return (value) => compare(value as number, literal.value as number);
  if ((type === 'number' || type === 'json') && literal.kind === 'number') {
    return (value) => typeof value === 'number' && compare(value, literal.value);
  }
  // Headers such as content-length are text holding a number.
  if (type === 'text' && literal.kind === 'number') {
    return (value) => (value as string).trim() !== '' && compare(Number(value), literal.value);
  }
  if (type === 'number' || type === 'duration' || type === 'percent' || type === 'json' || type === 'text') mismatch(variable, literal);
  return fail(`"${opText}" does not apply to ${name} (${TYPE_NAMES[type]}); use == or !=`, literal);
}

function contains(variable: Variable, literal: Literal): Test {
  const { type, name } = variable;
  if (type === 'text') {
    const needle = textOf(variable, literal);
    return (value) => (value as string).includes(needle);
  }
  if (type === 'list') {
    const needle = normalizeAnswer(textOf(variable, literal));
    return (value) => (value as string[]).some((answer) => normalizeAnswer(answer) === needle);
  }
  if (type === 'json') {
    if (literal.kind === 'duration' || literal.kind === 'regex') mismatch(variable, literal);
    const needle = String(literal.value);
    return (value) =>
      Array.isArray(value) ? value.some((item) => jsonEquals(item, literal)) : typeof value === 'string' && value.includes(needle);
  }
  return fail(`"contains" does not apply to ${name} (${TYPE_NAMES[type]}); use it on body, header.*, body.$… or dns.answers`, literal);
}

function matches(variable: Variable, literal: Literal): Test {
  const { type, name } = variable;
  if (literal.kind !== 'string' && literal.kind !== 'regex') {
    fail(`"matches" needs a regular expression in quotes or slashes ("^up" or /^up/i), not ${KIND_NAMES[literal.kind]}`, literal);
  }
  if (type === 'boolean' || type === 'list' || type === 'duration') {
    fail(`"matches" does not apply to ${name} (${TYPE_NAMES[type]})`, literal);
  }
  let regex: LinearRegex;
  try {
    // linear time: the text is the target's; g and y are ignored (they would make matching stateful)
    regex = compileLinearRegex(literal.value, literal.kind === 'regex' ? literal.flags : '');
  } catch (error) {
    return fail(`invalid regular expression ${literal.text}: ${(error as Error).message}`, literal);
  }
  return (value) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && regex.test(String(value));
}

/** The text a literal stands for when compared with text: its value, or its source for bare tokens. */
function textOf(variable: Variable, literal: Literal): string {
  if (literal.kind === 'string') return literal.value;
  if (literal.kind === 'word' || literal.kind === 'ip' || literal.kind === 'number') return literal.text;
  return mismatch(variable, literal);
}

/** JSON equality is typed: `3` matches the number 3, not the string "3"; a bare word is a string. */
function jsonEquals(value: unknown, literal: Literal): boolean {
  if (literal.kind === 'word' || literal.kind === 'ip') return value === literal.text;
  return value === literal.value;
}

/** DNS names compare without case and trailing dot; IPv6 addresses without case. */
function normalizeAnswer(answer: string): string {
  return answer.toLowerCase().replace(/\.$/, '');
}

function mismatch(variable: Variable, literal: Literal): never {
  return fail(`${variable.name} is ${TYPE_NAMES[variable.type]} and cannot be compared with ${KIND_NAMES[literal.kind]} (${literal.text})`, literal);
}

function fail(message: string, at: { text: string; column: number }): never {
  throw new TypeCheckError({ message, token: at.text, column: at.column });
}

/** Compiles a check's condition list, collecting every error with the index of its condition. */
export function compileConditions(
  sources: readonly string[],
): { ok: true; conditions: CompiledCondition[] } | { ok: false; errors: { index: number; error: ConditionError }[] } {
  const conditions: CompiledCondition[] = [];
  const errors: { index: number; error: ConditionError }[] = [];
  sources.forEach((source, index) => {
    const compiled = compileCondition(source);
    if (compiled.ok) conditions.push(compiled.condition);
    else errors.push({ index, error: compiled.error });
  });
  return errors.length ? { ok: false, errors } : { ok: true, conditions };
}
