/**
 * The whole config file's schema, composed from each part's own section schema. Unknown keys are
 * errors everywhere (strict objects), so a typo never silently does nothing.
 * @module
 */
import { z } from 'zod';
import { duration } from '../kernel/duration.ts';
import { buildCheckSchema, checkDefaultsSchema } from './check-schema.ts';
import type { ProbeRegistry } from '../probes/registry.ts';
import { adminConfigSchema, authConfigSchema, pageConfigSchema, pagesConfigSchema } from '../http/page-config.ts';
import { serverConfigSchema } from '../http/server-config.ts';
import { alertsConfigSchema, notifiersConfigSchema } from '../alerting/alerts-config.ts';
import { maintenanceConfigSchema } from '../maintenance/maintenance-config.ts';
import { incidentsConfigSchema } from '../status/incidents-config.ts';
import { subscriptionsConfigSchema } from '../subscriptions/subscriptions-config.ts';
import { metricsConfigSchema } from '../http/metrics-config.ts';

/** The modes `upstate serve` runs in (the `mode:` key, or `--mode`). */
export const RUN_MODES = ['embedded', 'cluster'] as const;

/** Retention when the config has no `retention:` (also what `upstate import` applies to an unvalidated config). */
export const DEFAULT_RETENTION = { raw: 48 * 3_600_000, hourly: 30 * 86_400_000, daily: 400 * 86_400_000 };

export function buildConfigSchema(probes: ProbeRegistry) {
  return z.strictObject({
    // how `upstate serve` runs: one process on SQLite, or one of N instances sharing PostgreSQL
    mode: z.enum(RUN_MODES).default('embedded'),
    page: pageConfigSchema,
    pages: pagesConfigSchema,
    auth: authConfigSchema,
    admin: adminConfigSchema,
    server: serverConfigSchema,
    defaults: checkDefaultsSchema,
    scheduler: z
      .strictObject({ concurrency: z.number().int().min(1).max(10_000).default(200) })
      .default({ concurrency: 200 }),
    retention: z
      .strictObject({
        raw: duration.default(DEFAULT_RETENTION.raw),
        hourly: duration.default(DEFAULT_RETENTION.hourly),
        daily: duration.default(DEFAULT_RETENTION.daily),
      })
      .default(DEFAULT_RETENTION),
    checks: z.array(buildCheckSchema(probes)).default([]),
    alerts: alertsConfigSchema,
    notifiers: notifiersConfigSchema,
    maintenance: maintenanceConfigSchema,
    incidents: incidentsConfigSchema,
    subscriptions: subscriptionsConfigSchema,
    metrics: metricsConfigSchema,
  });
}
