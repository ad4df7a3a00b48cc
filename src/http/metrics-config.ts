/**
 * The `metrics:` config section, apart from metrics.ts so that loading a config never loads
 * prom-client (`upstate validate` and `check` serve no /metrics).
 * @module
 */
import { z } from 'zod';

/** `metrics.perCheck: auto` exports per-check series up to this many checks. */
export const PER_CHECK_AUTO_LIMIT = 1000;

/** The `metrics:` config section. */
export const metricsConfigSchema = z
  .strictObject({
    // true | false | auto (per-check series while the config has at most PER_CHECK_AUTO_LIMIT checks)
    perCheck: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  })
  .default({ perCheck: 'auto' });

export type MetricsConfig = z.output<typeof metricsConfigSchema>;

/** Whether a config with `checkCount` checks exports per-check series. */
export function perCheckSeries(config: MetricsConfig, checkCount: number): boolean {
  return config.perCheck === 'auto' ? checkCount <= PER_CHECK_AUTO_LIMIT : config.perCheck;
}
