/**
 * The validated, normalised configuration every part of Upstate receives. Produced only by
 * config/load-config.ts; everything downstream can trust it (durations in ms, defaults applied).
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { AdminConfig, AuthConfig, PageConfig } from '../http/page-config.ts';
import type { AlertsConfig, NotifiersConfig } from '../alerting/alerts-config.ts';
import type { MaintenanceConfig } from '../maintenance/maintenance-config.ts';
import type { IncidentsConfig } from '../status/incidents-config.ts';
import type { RetentionPolicy } from '../storage/store.ts';

export interface SchedulerConfig {
  /** Most checks running at once in this process. */
  concurrency: number;
}

/** How `upstate serve` runs: `embedded` (one process, SQLite) or `cluster` (N instances, PostgreSQL). */
export type RunMode = 'embedded' | 'cluster';

export interface UpstateConfig {
  /** Absolute path of the file this came from (for relative paths such as page.templates). */
  source: string;
  /** The `mode:` key (default `embedded`); `upstate serve --mode` overrides it. */
  mode: RunMode;
  checks: Check[];
  page: PageConfig;
  auth?: AuthConfig;
  admin?: AdminConfig;
  scheduler: SchedulerConfig;
  retention: RetentionPolicy;
  alerts: AlertsConfig;
  notifiers: NotifiersConfig;
  maintenance: MaintenanceConfig;
  incidents: IncidentsConfig;
}
