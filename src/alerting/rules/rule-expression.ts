/**
 * Parses the rule expressions written in `alerts:`:
 * - latency: `p95 > 800ms over 10m` (statistic: p0–p100, avg, min, max; operator >, >=, <, <=)
 * - errors/throttles/faults: `5% over 5m` or `>= 5% over 5m` (share of results in the window)
 * Errors quote the offending token, so `p95 > 800 over 10m` says what is wrong with `800`.
 * @module
 */
import { parseDuration } from '../../kernel/parse-duration.ts';

export type Operator = '>' | '>=' | '<' | '<=';
export type LatencyStat = { kind: 'percentile'; p: number } | { kind: 'avg' | 'min' | 'max' };

export interface LatencyExpression {
  stat: LatencyStat;
  op: Operator;
  thresholdMs: number;
  overMs: number;
  text: string;
}

export interface ShareExpression {
  op: Operator;
  /** Threshold as a fraction 0..1. */
  ratio: number;
  overMs: number;
  text: string;
}

/** Thrown (and turned into a config issue) when an expression cannot be parsed. */
export class RuleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleExpressionError';
  }
}

const OPERATORS = new Set<string>(['>', '>=', '<', '<=']);

function tokenize(text: string): string[] {
  return text.match(/>=|<=|>|<|[^\s<>=]+|=+/g) ?? [];
}

function fail(text: string, message: string): never {
  throw new RuleExpressionError(`${message} in ${JSON.stringify(text)}`);
}

function parseStat(token: string | undefined, text: string): LatencyStat {
  if (token === undefined) fail(text, 'missing statistic (p95, avg, min or max)');
  const lower = token.toLowerCase();
  if (lower === 'avg' || lower === 'mean') return { kind: 'avg' };
  if (lower === 'min' || lower === 'max') return { kind: lower };
  if (lower === 'median') return { kind: 'percentile', p: 50 };
  const match = /^p(\d{1,3}(?:\.\d+)?)$/.exec(lower);
  const p = Number(match?.[1]);
  if (!match || p < 0 || p > 100) fail(text, `unknown statistic "${token}"; expected p0–p100, avg, min or max`);
  return { kind: 'percentile', p };
}

function parseOperator(token: string | undefined, text: string): Operator {
  if (token === undefined || !OPERATORS.has(token)) fail(text, `expected an operator (>, >=, <, <=) but found ${token === undefined ? 'the end' : `"${token}"`}`);
  return token as Operator;
}

function parseOver(tokens: string[], index: number, text: string): number {
  const keyword = tokens[index];
  if (keyword?.toLowerCase() !== 'over') fail(text, `expected "over <duration>" but found ${keyword === undefined ? 'the end' : `"${keyword}"`}`);
  const token = tokens[index + 1];
  const ms = token === undefined ? undefined : parseDuration(token);
  if (ms === undefined || ms <= 0) fail(text, `expected a window duration like 5m after "over" but found ${token === undefined ? 'the end' : `"${token}"`}`);
  if (tokens.length > index + 2) fail(text, `unexpected "${tokens[index + 2]}" after the window`);
  return ms;
}

/** Parses `p95 > 800ms over 10m`. */
export function parseLatencyExpression(text: string): LatencyExpression {
  const tokens = tokenize(text);
  const stat = parseStat(tokens[0], text);
  const op = parseOperator(tokens[1], text);
  const thresholdToken = tokens[2];
  const thresholdMs = thresholdToken === undefined || /^\d+(\.\d+)?$/.test(thresholdToken) ? undefined : parseDuration(thresholdToken);
  if (thresholdMs === undefined) {
    fail(text, `expected a latency with a unit like 800ms or 2s but found ${thresholdToken === undefined ? 'the end' : `"${thresholdToken}"`}`);
  }
  const overMs = parseOver(tokens, 3, text);
  return { stat, op, thresholdMs, overMs, text };
}

/** Parses `5% over 5m` (operator defaults to >=). */
export function parseShareExpression(text: string): ShareExpression {
  const tokens = tokenize(text);
  let index = 0;
  let op: Operator = '>=';
  if (tokens[0] !== undefined && OPERATORS.has(tokens[0])) {
    op = tokens[0] as Operator;
    index = 1;
  }
  const token = tokens[index];
  const match = token === undefined ? null : /^(\d+(?:\.\d+)?)%$/.exec(token);
  const percent = Number(match?.[1]);
  if (!match || percent > 100) fail(text, `expected a percentage like 5% but found ${token === undefined ? 'the end' : `"${token}"`}`);
  const overMs = parseOver(tokens, index + 1, text);
  return { op, ratio: percent / 100, overMs, text };
}

/** Applies an operator: `value op threshold`. */
export function compare(value: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** Display name of a statistic: `p95`, `avg`, … */
export function statName(stat: LatencyStat): string {
  return stat.kind === 'percentile' ? `p${stat.p}` : stat.kind;
}
