/**
 * The checks the checker benchmark runs: N plain HTTP GETs against the local target, built as
 * validated `Check` objects (the http probe's own schema applies its defaults), plus a minimal
 * `UpstateConfig` around them — parsing 100,000 checks from YAML would only measure the parser.
 * @module
 */
import type { Check } from '../../src/domain/check.ts';
import type { UpstateConfig } from '../../src/config/types.ts';
import { httpConfigSchema } from '../../src/probes/http/http-config.ts';
import { pageConfigSchema } from '../../src/http/page-config.ts';

export function benchChecks(count: number, port: number, intervalMs: number): Check[] {
  const checks: Check[] = [];
  for (let i = 0; i < count; i++) {
    const url = `http://127.0.0.1:${port}/c/${i}`;
    checks.push({
      name: `check-${i}`,
      intervalMs,
      timeoutMs: 10_000,
      confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
      conditions: [],
      kind: 'http',
      probe: httpConfigSchema.parse({ url }),
      target: url,
      regions: ['local'],
      quorum: 1,
    });
  }
  return checks;
}

export function benchConfig(checks: Check[], concurrency: number): UpstateConfig {
  return {
    source: '/dev/null/upstate.yaml',
    checks,
    page: pageConfigSchema.parse({}),
    mode: 'embedded',
    metrics: { perCheck: 'auto' },
    scheduler: { concurrency },
    retention: { rawMs: 48 * 3_600_000, hourlyMs: 30 * 86_400_000, dailyMs: 400 * 86_400_000 },
    alerts: { enabled: false } as UpstateConfig['alerts'],
    notifiers: {},
    maintenance: undefined as unknown as UpstateConfig['maintenance'],
    incidents: undefined as unknown as UpstateConfig['incidents'],
  };
}
