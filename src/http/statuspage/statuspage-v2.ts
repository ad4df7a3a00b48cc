/**
 * The status model mapped to Atlassian Statuspage's public v2 API shapes (summary, status,
 * components, incidents, scheduled maintenances), field for field, so existing Statuspage
 * clients and widgets read Upstate unchanged. Pure functions of the model.
 * @module
 */
import type { CheckStatus } from '../../domain/status.ts';
import type { Incident } from '../../domain/incident.ts';
import type { Indicator, StatusComponent, StatusModel } from '../../status/status-model.ts';
import { componentId } from '../../status/component-id.ts';

type SpComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';

/** Page identity and where it is served from. */
export interface SpPageInfo {
  title: string;
  /** Absolute base URL (config `page.publicUrl`, else the request's origin). */
  url: string;
}

/** Statuspage's own wording for each indicator. */
const INDICATOR_TEXT: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
  maintenance: 'Service Under Maintenance',
};

/**
 * Statuspage has no "unknown": a check without results yet is reported operational (nothing is
 * known to be wrong), as a freshly created Statuspage component is.
 */
const COMPONENT_STATUS: Record<CheckStatus, SpComponentStatus> = {
  up: 'operational',
  degraded: 'degraded_performance',
  down: 'major_outage',
  maintenance: 'under_maintenance',
  unknown: 'operational',
};

const iso = (at: number | undefined | null): string | null => (at === undefined || at === null ? null : new Date(at).toISOString());

/** The earliest time the store knows of a component: first day with results, status change, last result. */
function firstSeen(c: StatusComponent): number | undefined {
  const times = [c.daily.find((d) => d.count > 0)?.start, c.since, c.lastCheckedAt].filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : undefined;
}

/**
 * Statuspage timestamps are never null. A check that never ran takes the page's epoch: the
 * earliest time any component was seen, else the start of the current UTC day. Both come from
 * stored facts, not the render time, so every request and every instance says the same.
 */
function pageEpoch(model: StatusModel): number {
  const seen = model.components.map(firstSeen).filter((t): t is number => t !== undefined);
  return seen.length ? Math.min(...seen) : Math.floor(model.generatedAt / 86_400_000) * 86_400_000;
}

/** `created_at` and `updated_at` (epoch ms) of a component. */
function componentTimes(c: StatusComponent, epoch: number): { created: number; updated: number } {
  const created = firstSeen(c) ?? epoch;
  return { created, updated: c.since ?? c.lastCheckedAt ?? created };
}

/** A group's status: all children down is a major outage, some down a partial one. */
function groupStatus(children: readonly StatusComponent[]): SpComponentStatus {
  const statuses = children.map((c) => c.status);
  const down = statuses.filter((s) => s === 'down').length;
  if (down > 0) return down === statuses.length ? 'major_outage' : 'partial_outage';
  if (statuses.includes('degraded')) return 'degraded_performance';
  if (statuses.length > 0 && statuses.every((s) => s === 'maintenance')) return 'under_maintenance';
  return 'operational';
}

export function spPage(model: StatusModel, info: SpPageInfo) {
  return {
    id: componentId(`page:${info.title}`),
    name: info.title,
    url: info.url,
    time_zone: 'Etc/UTC',
    updated_at: iso(model.updatedAt ?? model.generatedAt),
  };
}

export function spStatus(model: StatusModel) {
  return { indicator: model.overall.indicator, description: INDICATOR_TEXT[model.overall.indicator] };
}

/** Components (checks) and group components, ordered by position like Statuspage does. */
export function spComponents(model: StatusModel, info: SpPageInfo) {
  const pageId = componentId(`page:${info.title}`);
  const rows: { order: number; value: ReturnType<typeof componentRow> | ReturnType<typeof groupRow> }[] = [];
  const epoch = pageEpoch(model);
  let top = 0;
  let seq = 0;
  for (const group of model.groups) {
    if (group.name === null) {
      for (const c of group.components) rows.push({ order: ++top, value: componentRow(c, pageId, top, null, epoch) });
      continue;
    }
    const position = ++top;
    rows.push({ order: position, value: groupRow(group.id, group.name, group.components, pageId, position, epoch) });
    group.components.forEach((c, i) => rows.push({ order: i + 1, value: componentRow(c, pageId, i + 1, group.id, epoch) }));
  }
  // Stable sort by position, as the real API lists components.
  return rows
    .map((row) => ({ ...row, seq: seq++ }))
    .sort((a, b) => a.order - b.order || a.seq - b.seq)
    .map((row) => row.value);
}

function componentRow(c: StatusComponent, pageId: string, position: number, groupId: string | null, epoch: number) {
  const times = componentTimes(c, epoch);
  return {
    id: c.id,
    name: c.name,
    status: COMPONENT_STATUS[c.status],
    created_at: iso(times.created),
    updated_at: iso(times.updated),
    position,
    description: c.description ?? null,
    showcase: false,
    start_date: c.daily.find((d) => d.count > 0)?.date ?? null,
    group_id: groupId,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  };
}

function groupRow(id: string, name: string, children: readonly StatusComponent[], pageId: string, position: number, epoch: number) {
  const times = children.map((c) => componentTimes(c, epoch));
  return {
    id,
    name,
    status: groupStatus(children),
    created_at: iso(times.length ? Math.min(...times.map((t) => t.created)) : epoch),
    updated_at: iso(times.length ? Math.max(...times.map((t) => t.updated)) : epoch),
    position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: true,
    only_show_if_degraded: false,
    components: children.map((c) => c.id),
  };
}

/** One incident or maintenance in Statuspage's shape (updates newest first). */
export function spIncident(incident: Incident, model: StatusModel, info: SpPageInfo) {
  const pageId = componentId(`page:${info.title}`);
  const affected = model.components.filter((c) => incident.checks.includes(c.name));
  const epoch = pageEpoch(model);
  const components = affected.map((c) => componentRow(c, pageId, model.components.indexOf(c) + 1, c.group ? componentId(`group:${c.group}`) : null, epoch));
  const monitoring = incident.updates.find((u) => u.status === 'monitoring');
  const base = {
    id: incident.id,
    name: incident.title,
    status: incident.status,
    created_at: iso(incident.createdAt),
    updated_at: iso(incident.updatedAt),
    monitoring_at: iso(monitoring?.at),
    resolved_at: iso(incident.resolvedAt),
    impact: incident.impact,
    shortlink: `${info.url.replace(/\/$/, '')}/incidents/${incident.id}`,
    started_at: iso(incident.createdAt),
    page_id: pageId,
    incident_updates: [...incident.updates]
      .sort((a, b) => b.at - a.at)
      .map((u) => ({
        id: u.id,
        status: u.status,
        body: u.body,
        incident_id: incident.id,
        created_at: iso(u.at),
        updated_at: iso(u.at),
        display_at: iso(u.at),
        affected_components: affected.map((c) => ({ code: c.id, name: c.name, old_status: COMPONENT_STATUS[c.status], new_status: COMPONENT_STATUS[c.status] })),
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      })),
    components,
  };
  return incident.kind === 'maintenance' ? { ...base, scheduled_for: iso(incident.scheduledFor), scheduled_until: iso(incident.scheduledUntil) } : base;
}

/** `/api/v2/summary.json`. */
export function spSummary(model: StatusModel, info: SpPageInfo) {
  return {
    page: spPage(model, info),
    components: spComponents(model, info),
    incidents: model.incidents.active.map((i) => spIncident(i, model, info)),
    scheduled_maintenances: [...model.incidents.maintenanceActive, ...model.incidents.maintenanceUpcoming].map((i) => spIncident(i, model, info)),
    status: spStatus(model),
  };
}

