/**
 * What one live event tells open pages: for each check of a result batch, exactly what the page
 * shows of it (status and its words, latency and uptime as formatted text, the class-level
 * failure reason), plus the group headers and the banner those checks belong to. The page
 * patches those few elements in place; it never refetches or replaces its body.
 * @module
 */
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { StatusGroup, StatusModel } from '../status/status-model.ts';
import { componentId } from '../status/component-id.ts';
import { OVERALL_TONE, STATUS_LABELS, latency, percentText } from './view-format.ts';

/** One check as the page shows it. `status`, `latencyMs` and `at` keep the event's original fields. */
interface LiveCheck {
  id: string;
  status: string;
  latencyMs?: number;
  at?: number;
  label: string;
  latency: string;
  /** 24 h, 7 d and 30 d uptime as shown. */
  uptime: [string, string, string];
  /** Class-level failure reason while down or degraded; null otherwise. */
  reason: string | null;
}

export interface LivePayload {
  checks: LiveCheck[];
  groups: { id: string; status: string; label: string }[];
  overall: { tone: string; description: string; updatedAt?: number };
}

/** The group pill's words, as index.njk writes them. */
function groupLabel(group: StatusGroup): string {
  return group.status === 'down' && group.counts.down < group.components.length ? 'Partial outage' : STATUS_LABELS[group.status];
}

/** The payload for the configured checks of `event`, read from a model built after it; undefined when none. */
export function livePayload(event: ResultEvent, model: StatusModel): LivePayload | undefined {
  const ids = new Set(event.states.map((s) => componentId(s.check)));
  // the batch's own latest result per check: exact even when the store already holds a newer one
  const latest = new Map<string, { latencyMs: number; at: number }>();
  for (const r of event.results) latest.set(componentId(r.check), { latencyMs: r.latencyMs, at: r.at });
  const checks: LiveCheck[] = model.components
    .filter((c) => ids.has(c.id))
    .map((c) => ({
      id: c.id,
      status: c.status,
      latencyMs: latest.get(c.id)?.latencyMs ?? c.lastLatencyMs,
      at: latest.get(c.id)?.at ?? c.lastCheckedAt,
      label: STATUS_LABELS[c.status],
      latency: latency(c.lastLatencyMs),
      uptime: [percentText(c.uptime['24h']), percentText(c.uptime['7d']), percentText(c.uptime['30d'])],
      reason: c.lastFailure && (c.status === 'down' || c.status === 'degraded') ? c.lastFailure.message : null,
    }));
  if (checks.length === 0) return undefined;
  const groups = model.groups
    .filter((g) => g.name !== null && g.components.some((c) => ids.has(c.id)))
    .map((g) => ({ id: g.id, status: g.status, label: groupLabel(g) }));
  return { checks, groups, overall: { tone: OVERALL_TONE[model.overall.status], description: model.overall.description, updatedAt: model.updatedAt } };
}
