/**
 * Pure rule evaluation: `(rule, window data) → breaching | ok | insufficient`, plus a display
 * string of what was observed for the message. Percentiles are exact (nearest rank over the raw
 * results), never estimated from histograms: alert thresholds deserve the real value.
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import type { CheckState } from '../../domain/status.ts';
import { formatDuration } from '../../kernel/parse-duration.ts';
import type { AlertRule, ShareKind } from './alert-rule.ts';
import { compare, statName, type LatencyStat } from './rule-expression.ts';

export type Verdict = 'breaching' | 'ok' | 'insufficient';

export interface Evaluation {
  verdict: Verdict;
  /** What was measured, for people: `p95 1234ms (42 results)`. */
  observed?: string;
}

/** What the evaluator knows about one check at evaluation time. */
export interface RuleWindow {
  now: number;
  /** Raw results oldest first, maintenance results excluded (may reach further back than a rule needs). */
  results: readonly CheckResult[];
  /** The check's confirmed state, when known. */
  state?: CheckState;
  /** Newest non-maintenance result, even when older than every window. */
  latest?: CheckResult;
  /** The check's interval: sets the default `minSamples` (how many results a window can hold). */
  intervalMs?: number;
}

/** The most results a percentile or share rule asks for by default. */
const DEFAULT_MIN_SAMPLES = 5;

/**
 * Results a rule needs before it judges: its `minSamples`, or by default for percentiles and
 * shares 5 — but never more than half the results its window can hold at the check's interval,
 * so a short window on a slow check still alerts. min, max and avg need one.
 */
function minSamples(rule: AlertRule & { kind: 'latency' | ShareKind }, window: RuleWindow): number {
  if (rule.minSamples !== undefined) return rule.minSamples;
  if (rule.kind === 'latency' && rule.expression.stat.kind !== 'percentile') return 1;
  if (!window.intervalMs) return 1;
  return Math.max(1, Math.min(DEFAULT_MIN_SAMPLES, Math.floor(rule.expression.overMs / window.intervalMs / 2)));
}

function tooFew(count: number, needed: number): Evaluation | undefined {
  if (count >= needed) return undefined;
  return { verdict: 'insufficient', observed: `${count} result${count === 1 ? '' : 's'}, fewer than the ${needed} needed` };
}

/** Nearest-rank percentile of ascending `sorted` values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Computes a latency statistic over values (any order). */
function latencyStat(values: readonly number[], stat: LatencyStat): number {
  switch (stat.kind) {
    case 'avg':
      return values.reduce((sum, v) => sum + v, 0) / values.length;
    case 'min':
      return values.reduce((min, v) => Math.min(min, v), Number.POSITIVE_INFINITY);
    case 'max':
      return values.reduce((max, v) => Math.max(max, v), Number.NEGATIVE_INFINITY);
    case 'percentile':
      return percentile([...values].sort((a, b) => a - b), stat.p);
  }
}

const SHARE_LABEL: Record<ShareKind, string> = { errors: '4xx', throttles: '429', faults: '5xx' };

/** Whether a result counts toward a share rule. */
function countsAs(kind: ShareKind, code: number | undefined): boolean {
  if (code === undefined) return false;
  if (kind === 'throttles') return code === 429;
  if (kind === 'errors') return code >= 400 && code < 500 && code !== 429;
  return code >= 500 && code < 600;
}

function inWindow(window: RuleWindow, overMs: number): CheckResult[] {
  const from = window.now - overMs;
  // no upper bound: a result stamped slightly ahead (another instance's clock) still counts
  return window.results.filter((r) => r.at > from);
}

function statusVerdict(state: CheckState | undefined): Evaluation {
  if (!state) return { verdict: 'insufficient' };
  if (state.status === 'down') return { verdict: 'breaching', observed: state.lastResult?.failure?.message };
  if (state.status === 'up' || state.status === 'degraded') return { verdict: 'ok' };
  return { verdict: 'insufficient' };
}

const DAY = 86_400_000;

/** Evaluates one rule over one check's window. */
export function evaluateRule(rule: AlertRule, window: RuleWindow): Evaluation {
  switch (rule.kind) {
    case 'down':
    case 'heartbeat':
      return statusVerdict(window.state);
    case 'latency': {
      const { stat, op, thresholdMs, overMs } = rule.expression;
      const results = inWindow(window, overMs);
      if (results.length === 0) return { verdict: 'insufficient' };
      const few = tooFew(results.length, minSamples(rule, window));
      if (few) return few;
      const value = latencyStat(results.map((r) => r.latencyMs), stat);
      const observed = `${statName(stat)} ${Math.round(value)}ms over ${formatDuration(overMs)} (${results.length} results)`;
      return { verdict: compare(value, op, thresholdMs) ? 'breaching' : 'ok', observed };
    }
    case 'errors':
    case 'throttles':
    case 'faults': {
      const { op, ratio, overMs } = rule.expression;
      const results = inWindow(window, overMs);
      if (results.length === 0) return { verdict: 'insufficient' };
      const few = tooFew(results.length, minSamples(rule, window));
      if (few) return few;
      const matching = results.filter((r) => countsAs(rule.kind, r.statusCode)).length;
      const share = matching / results.length;
      const percent = Math.round(share * 1000) / 10;
      const observed = `${percent}% ${SHARE_LABEL[rule.kind]} responses over ${formatDuration(overMs)} (${matching} of ${results.length})`;
      return { verdict: compare(share, op, ratio) ? 'breaching' : 'ok', observed };
    }
    case 'certificate': {
      const certificate = window.latest?.details?.certificate as { expiresInMs?: unknown } | undefined;
      const expiresInMs = certificate?.expiresInMs;
      if (typeof expiresInMs !== 'number' || !Number.isFinite(expiresInMs)) return { verdict: 'insufficient' };
      const days = Math.floor(Math.abs(expiresInMs) / DAY);
      const observed = expiresInMs <= 0 ? `certificate expired ${days} days ago` : `certificate expires in ${days} days`;
      return { verdict: expiresInMs <= rule.withinMs ? 'breaching' : 'ok', observed };
    }
  }
}
