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
  let top = 0;
  let seq = 0;
  for (const group of model.groups) {
    if (group.name === null) {
      for (const c of group.components) rows.push({ order: ++top, value: componentRow(c, pageId, top, null) });
      continue;
    }
    const position = ++top;
    rows.push({ order: position, value: groupRow(model, group.id, group.name, group.components, pageId, position) });
    group.components.forEach((c, i) => rows.push({ order: i + 1, value: componentRow(c, pageId, i + 1, group.id) }));
  }
  // Stable sort by position, as the real API lists components.
  return rows
    .map((row) => ({ ...row, seq: seq++ }))
    .sort((a, b) => a.order - b.order || a.seq - b.seq)
    .map((row) => row.value);
}

function componentRow(c: StatusComponent, pageId: string, position: number, groupId: string | null) {
  return {
    id: c.id,
    name: c.name,
    status: COMPONENT_STATUS[c.status],
    created_at: iso(c.daily.find((d) => d.count > 0)?.start ?? c.since ?? c.lastCheckedAt),
    updated_at: iso(c.since ?? c.lastCheckedAt),
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

function groupRow(model: StatusModel, id: string, name: string, children: readonly StatusComponent[], pageId: string, position: number) {
  const since = children.map((c) => c.since).filter((t): t is number => t !== undefined);
  return {
    id,
    name,
    status: groupStatus(children),
    created_at: iso(model.generatedAt),
    updated_at: iso(since.length ? Math.max(...since) : model.generatedAt),
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
  const components = affected.map((c) => componentRow(c, pageId, model.components.indexOf(c) + 1, c.group ? componentId(`group:${c.group}`) : null));
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

