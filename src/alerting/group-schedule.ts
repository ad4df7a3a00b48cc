/**
 * When a grouped message is due (`alerts.grouping: { wait, interval }`), as Alertmanager's
 * `group_wait` and `group_interval`: the first message of a quiet group waits `wait`, so the others
 * of the storm can join it; after that the group's follow-up messages (new alerts, resolves) go out
 * at most once per `interval`, all those due in one slot as one message. A group quiet for a whole
 * interval starts over with `wait`.
 *
 * The slots live in the evaluator's memory: after a restart a group's first follow-up waits only
 * `wait`, and in a cluster each instance keeps its own slots for the checks it evaluates.
 * @module
 */
import type { AlertEvent } from '../domain/alert.ts';
import { groupKey, type GroupField } from './group-message.ts';

export interface GroupTiming {
  by: readonly GroupField[];
  waitMs: number;
  intervalMs: number;
}

/** Returns `dueAt(event, now)`: when a message of `event`'s group enqueued at `now` should go out. */
export function createGroupSchedule(timing: GroupTiming): (event: AlertEvent, now: number) => number {
  const lastDue = new Map<string, number>();
  return (event, now) => {
    const key = groupKey(event, timing.by);
    const last = lastDue.get(key);
    let due: number;
    if (last === undefined || now >= last + timing.intervalMs) due = now + timing.waitMs; // a quiet group: a new storm
    else if (now <= last) due = last; // joins the message still waiting
    else due = last + timing.intervalMs; // a follow-up: the group's next slot
    lastDue.set(key, due);
    // forget groups quiet for long, so the map stays as small as the set of active groups
    if (lastDue.size > 10_000) for (const [k, at] of lastDue) if (now >= at + timing.intervalMs) lastDue.delete(k);
    return due;
  };
}
