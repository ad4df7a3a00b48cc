/**
 * The status model: "what the page says", computed from stored facts by pure functions. The HTML
 * page, the JSON API, Statuspage-compatible JSON, feeds and badges all render this one shape, so
 * they can never disagree. Times are epoch milliseconds; percentages are 0..100.
 * @module
 */
import type { Failure } from '../domain/result.ts';
import type { CheckStatus } from '../domain/status.ts';
import type { Impact, Incident } from '../domain/incident.ts';

/** Overall page status, worst first in severity order of the banner. */
export type OverallStatus = 'operational' | 'degraded' | 'partial_outage' | 'major_outage' | 'maintenance' | 'unknown';

/** Statuspage-style indicator of the overall status. */
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** Uptime windows shown on the page. */
export const UPTIME_WINDOWS = ['24h', '7d', '30d', '90d'] as const;
export type UptimeWindow = (typeof UPTIME_WINDOWS)[number];

/** Uptime percentage per window; null when nothing was counted in that window. */
type UptimeByWindow = Record<UptimeWindow, number | null>;

/** One day of the 90-day bar (UTC days, oldest first). */
export interface DailyBar {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  start: number;
  /** Percentage of counted results that were up or degraded; null when none were counted. */
  uptime: number | null;
  count: number;
  /**
   * Minutes down, degraded and in maintenance that day, estimated as results × the check's
   * interval (per region). Absent when zero, which keeps 90 days × many checks small.
   */
  downMinutes?: number;
  degradedMinutes?: number;
  maintenanceMinutes?: number;
}

/** One hour of the latency series; avg/p95 are null when the hour has no results. */
export interface LatencyPoint {
  start: number;
  avg: number | null;
  p95: number | null;
  count: number;
}

/** Latency percentiles over a window, estimated from rollup histograms. */
export interface LatencySummary {
  count: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One region's latest view of a multi-region check. `stale`: no recent reports, not an outage. */
export interface RegionView {
  region: string;
  status: CheckStatus | 'stale';
  /** Time of the region's latest result. */
  at: number;
  latencyMs?: number;
  failure?: { class: string; message: string };
}

/** One check as the page shows it. */
export interface StatusComponent {
  /** Stable id derived from the check name (see componentId). */
  id: string;
  name: string;
  description?: string;
  group?: string;
  /** Confirmed status; `unknown` before the first result. */
  status: CheckStatus;
  /** When the confirmed status last changed. */
  since?: number;
  lastCheckedAt?: number;
  lastLatencyMs?: number;
  lastStatusCode?: number;
  /**
   * The failure of the most recent result, when that result failed. Public: `message` is the
   * class-level reason ("Timed out", "HTTP 503"), never the probe's own text.
   */
  lastFailure?: Failure & { at: number };
  /** The check's target (no query string), only for checks configured with `showTarget`. */
  target?: string;
  /** Checks this one depends on (`dependsOn`) that are down now: the page says it is affected by them. */
  affectedBy?: string[];
  uptime: UptimeByWindow;
  /** 90 entries, oldest first, ending with today (UTC). */
  daily: DailyBar[];
  latency: {
    /** 24 hourly points, oldest first, ending with the current hour. */
    hourly24h: LatencyPoint[];
    /** 168 hourly points, oldest first, ending with the current hour. */
    hourly7d: LatencyPoint[];
    /** Percentiles over the last 24 hourly buckets. */
    summary24h: LatencySummary;
  };
  /** Ids of unresolved incidents and active maintenance affecting this check. */
  incidentIds: string[];
  /**
   * Multi-region checks only: each configured region's latest view, in config order (regions that
   * never reported are absent), followed by any other region that reported.
   */
  regions?: RegionView[];
}

/** A section of the page: one configured group, or the checks without a group. */
export interface StatusGroup {
  /** Null for the section of ungrouped checks. */
  name: string | null;
  /** Stable id (componentId of `group:<name>`), or `ungrouped`. */
  id: string;
  /** Worst status among the group's components. */
  status: CheckStatus;
  /** Components per status (e.g. to tell a partial from a full outage of the group). */
  counts: Record<CheckStatus, number>;
  components: StatusComponent[];
  /** One 90-day bar for the whole group (see `combinedDays`). */
  daily: DailyBar[];
  /** Uptime over the 90 days, all of the group's counted results together; null when none. */
  uptime90d: number | null;
}

/** Incidents and maintenance sorted for display. */
export interface StatusIncidents {
  /** Unresolved incidents, newest first. */
  active: Incident[];
  /** Maintenance in progress or verifying. */
  maintenanceActive: Incident[];
  /** Maintenance scheduled in the future, soonest first. */
  maintenanceUpcoming: Incident[];
  /** Incidents resolved (or maintenance completed) in the last 14 days, newest first. */
  recent: Incident[];
}

export interface StatusModel {
  /** When the model was computed. */
  generatedAt: number;
  /** Newest result time over all checks (undefined before the first result). */
  updatedAt?: number;
  overall: {
    status: OverallStatus;
    indicator: Indicator;
    /** A sentence for the banner: "All systems operational", "Partial outage", … */
    description: string;
    counts: Record<CheckStatus, number>;
  };
  groups: StatusGroup[];
  /** Every component in config order (the same objects as inside `groups`). */
  components: StatusComponent[];
  incidents: StatusIncidents;
}

/** Impact ranking shared by overall status and incidents. */
export const IMPACT_RANK: Record<Impact, number> = { none: 0, maintenance: 0, minor: 1, major: 2, critical: 3 };
