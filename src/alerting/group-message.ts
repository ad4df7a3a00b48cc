/**
 * Grouping (`alerts.grouping`): messages for one channel that share the values of `by` (check,
 * group, rule, severity) and are due together go out as one message listing them, so 50 checks
 * behind one dependency make one message per channel, not 50. The evaluator holds each message
 * back `wait` so the others of its group can join.
 * @module
 */
import type { AlertEvent } from '../domain/alert.ts';

export const GROUP_FIELDS = ['check', 'group', 'rule', 'severity'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

/** The group an event belongs to: the values of the `by` fields (absent ones count as empty). */
export function groupKey(event: AlertEvent, by: readonly GroupField[]): string {
  return JSON.stringify(by.map((field) => event[field] ?? ''));
}

/** One message standing for several: counts in the title, one line per alert in the summary. */
export function groupEvent(events: readonly AlertEvent[]): AlertEvent {
  const firing = events.filter((e) => e.kind !== 'resolved');
  const resolved = events.length - firing.length;
  const shared = (field: 'group' | 'rule' | 'check') => (events.every((e) => e[field] === events[0][field]) ? events[0][field] : undefined);
  const label = shared('group') ?? shared('rule') ?? '';
  const counts = [firing.length ? `${firing.length} firing` : '', resolved ? `${resolved} resolved` : ''].filter(Boolean).join(', ');
  return {
    key: `group:${label}:${[...new Set(events.map((e) => e.key))].sort().join(',')}`.slice(0, 200),
    rule: shared('rule') ?? 'group',
    check: shared('check') ?? 'upstate',
    ...(shared('group') ? { group: shared('group') } : {}),
    kind: firing.length ? 'firing' : 'resolved',
    state: firing.length ? 'ALARM' : 'OK',
    title: `${events.length} alerts${label ? ` in ${label}` : ''}: ${counts}`,
    summary: events.map((e) => `${e.kind === 'resolved' ? 'RESOLVED' : 'FIRING'}: ${e.title}`).join('\n'),
    at: Math.max(...events.map((e) => e.at)),
  };
}
