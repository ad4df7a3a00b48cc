/**
 * When one maintenance window is open: a one-off interval, or the occurrences of a cron
 * expression in a time zone. Recurrence look-ups are cached per occurrence period, so asking
 * "is it open now?" for every result costs a comparison, not a cron computation.
 * @module
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import type { MaintenanceWindow } from './maintenance-config.ts';

/** A concrete opening of a window, epoch ms: `start` inclusive, `end` exclusive. */
interface Occurrence {
  start: number;
  end: number;
}

export interface WindowSchedule {
  /** The occurrence open at `at`, if any. */
  openAt(at: number): Occurrence | undefined;
  /** Occurrences overlapping [from, until), oldest first, at most `limit` of them. */
  between(from: number, until: number, limit: number): Occurrence[];
}

/** How many recent occurrence brackets a recurring schedule remembers (results arrive slightly out of order). */
const BRACKETS_KEPT = 4;
/** Bound on the forward walk that reconciles prev() with next() (a couple of steps in practice). */
const MAX_WALK = 16;

export function createWindowSchedule(window: MaintenanceWindow): WindowSchedule {
  if (window.kind === 'once') {
    const occurrence = { start: window.start, end: window.end };
    return {
      openAt: (at) => (at >= window.start && at < window.end ? occurrence : undefined),
      between: (from, until, limit) => (window.start < until && window.end > from && limit > 0 ? [occurrence] : []),
    };
  }
  return createRecurringSchedule(window.cron, window.timezone, window.durationMs);
}

/**
 * Occurrences of a cron expression lasting `durationMs` each. The most recent start ≤ at decides
 * whether `at` is inside a window: with equal durations, no earlier start can end later.
 */
function createRecurringSchedule(cron: string, timezone: string, durationMs: number): WindowSchedule {
  const expression: CronExpression = CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(0) });
  // Each bracket [previous, next) holds no other start, so any `at` inside it shares `previous`.
  const brackets: { previous: number; next: number }[] = [];

  function bracketOf(at: number): { previous: number; next: number } {
    const cached = brackets.find((b) => at >= b.previous && at < b.next);
    if (cached) return cached;
    let previous = step(at + 1, 'prev');
    let next = step(previous ?? at, 'next');
    // cron-parser's prev() skips a start that falls into a DST gap, while next() moves it past the
    // gap (02:30 → 03:30); walking forward with next() makes both directions agree.
    for (let i = 0; previous !== undefined && next !== undefined && next <= at && i < MAX_WALK; i++) {
      previous = next;
      next = step(next, 'next');
    }
    if (next !== undefined && next <= at) next = step(at, 'next');
    const bracket = { previous: previous ?? -Infinity, next: next ?? Infinity };
    brackets.unshift(bracket);
    brackets.length = Math.min(brackets.length, BRACKETS_KEPT);
    return bracket;
  }

  /** prev() is strictly before and next() strictly after the reset point; both may find nothing. */
  function step(from: number, direction: 'prev' | 'next'): number | undefined {
    try {
      expression.reset(new Date(from));
      return expression[direction]().getTime();
    } catch {
      return undefined; // out of range or no occurrence within cron-parser's own loop limit
    }
  }

  return {
    openAt(at) {
      const { previous } = bracketOf(at);
      return at < previous + durationMs ? { start: previous, end: previous + durationMs } : undefined;
    },
    between(from, until, limit) {
      const out: Occurrence[] = [];
      // Occurrences that started up to one duration before `from` still overlap it.
      let start = step(from - durationMs, 'next');
      while (start !== undefined && start < until && out.length < limit) {
        out.push({ start, end: start + durationMs });
        start = step(start, 'next');
      }
      return out;
    },
  };
}
