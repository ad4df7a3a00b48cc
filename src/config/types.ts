/**
 * The validated, normalised configuration every part of Upstate receives. Produced only by
 * config/load-config.ts; everything downstream can trust it (durations in ms, defaults applied).
 *
 * It is composed from the slices the features declare next to their own code (the web layer's
 * `WebConfig`, alerting's `AlertsConfig`, …). Features take their slice, never this whole type,
 * so the import graph runs one way: config/ → features (see scripts/folder-graph.ts).
 * @module
 */
import type { WebConfig } from '../http/page-config.ts';
import type { AlertsConfig, NotifiersConfig } from '../alerting/alerts-config.ts';
import type { MaintenanceConfig } from '../maintenance/maintenance-config.ts';
import type { IncidentsConfig } from '../status/incidents-config.ts';
import type { RetentionPolicy } from '../storage/store.ts';
import type { RUN_MODES } from './config-schema.ts';
import type { MetricsConfig } from '../http/metrics-config.ts';

interface SchedulerConfig {
  /** Most checks running at once in this process. */
  concurrency: number;
}

/** How `upstate serve` runs: `embedded` (one process, SQLite) or `cluster` (N instances, PostgreSQL). */
export type RunMode = (typeof RUN_MODES)[number];

export interface UpstateConfig extends WebConfig {
  /** The `mode:` key (default `embedded`); `upstate serve --mode` overrides it. */
  mode: RunMode;
  scheduler: SchedulerConfig;
  retention: RetentionPolicy;
  alerts: AlertsConfig;
  notifiers: NotifiersConfig;
  maintenance: MaintenanceConfig;
  incidents: IncidentsConfig;
  /** What `/metrics` exports (per-check series or only bounded ones). */
  metrics: MetricsConfig;
}
