/**
 * What a day cell's popover says about one day of a check's 90-day bar: its uptime, minutes
 * down, degraded and in maintenance, and the incidents and maintenance that touched the check
 * that day. Pure: the same model day plus the incidents the store and the model know.
 * @module
 */
import type { Impact, Incident } from '../domain/incident.ts';
import type { DailyBar, StatusComponent } from './status-model.ts';

const DAY_MS = 86_400_000;

/** An incident as a day lists it: enough for a link and its colour. */
interface DayIncident {
  id: string;
  title: string;
  kind: Incident['kind'];
  impact: Impact;
}

/** One day of the bar with the incidents of that day (none: an empty list). */
export interface DayDetail extends Omit<DailyBar, 'start' | 'count'> {
  incidents: DayIncident[];
}

/**
 * When an incident affected its checks: from its start (the scheduled start of maintenance) to
 * its resolution, or to `now` while it is open. Maintenance that has not started is not on any
 * past day.
 */
function spanOf(incident: Incident, now: number): [number, number] | undefined {
  const start = incident.kind === 'maintenance' ? (incident.scheduledFor ?? incident.createdAt) : incident.createdAt;
  if (start > now) return undefined;
  const end = incident.resolvedAt ?? (incident.kind === 'maintenance' ? Math.min(incident.scheduledUntil ?? now, now) : now);
  return [start, Math.max(start, end)];
}

/**
 * The 90 days of `component` (oldest first), each with the incidents of that check whose span
 * overlaps the UTC day. `incidents` may repeat an incident (the store's and the model's lists):
 * each id appears once per day, newest first.
 */
export function dayDetails(component: Pick<StatusComponent, 'name' | 'daily'>, incidents: readonly Incident[], now: number): DayDetail[] {
  const seen = new Set<string>();
  const spans: { incident: Incident; from: number; to: number }[] = [];
  for (const incident of incidents) {
    if (seen.has(incident.id) || !incident.checks.includes(component.name)) continue;
    seen.add(incident.id);
    const span = spanOf(incident, now);
    if (span) spans.push({ incident, from: span[0], to: span[1] });
  }
  spans.sort((a, b) => b.from - a.from);
  return component.daily.map((day) => {
    const { start, count: _count, ...figures } = day;
    const end = start + DAY_MS;
    const incidents = spans
      .filter((s) => s.from < end && s.to >= start)
      .map(({ incident: i }) => ({ id: i.id, title: i.title, kind: i.kind, impact: i.impact }));
    return { ...figures, incidents };
  });
}
