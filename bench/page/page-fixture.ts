/**
 * The page benchmark's world: 100 checks in 5 groups, and the config the app serves them with.
 * Shared by the parent (which seeds the store) and the app-server child (which serves it).
 * @module
 */
import type { Check } from '../../src/domain/check.ts';
import type { UpstateConfig } from '../../src/config/types.ts';
import { httpConfigSchema } from '../../src/probes/http/http-config.ts';
import { pageConfigSchema } from '../../src/http/page-config.ts';

const GROUPS = ['Website', 'API', 'Payments', 'Infrastructure', 'Regions'];

export function pageChecks(count: number): Check[] {
  return Array.from({ length: count }, (_, i) => {
    const url = `https://service-${i}.example.com/health`;
    return {
      name: `Service ${String(i).padStart(3, '0')}`,
      group: GROUPS[i % GROUPS.length],
      description: `Health endpoint of service ${i}`,
      intervalMs: 60_000,
      timeoutMs: 10_000,
      degradedAfterMs: 1_000,
      confirm: { downAfter: { count: 2, of: 3 }, upAfter: 2 },
      conditions: [],
      kind: 'http',
      probe: httpConfigSchema.parse({ url }),
      target: url,
      regions: ['local'],
      quorum: 1,
    } satisfies Check;
  });
}

/** `cacheSeconds: 0` disables the response cache and the model memo: every request renders. */
export function pageConfig(checks: Check[], cacheSeconds: number): UpstateConfig {
  return {
    source: '/dev/null/upstate.yaml',
    checks,
    page: pageConfigSchema.parse({ title: 'Acme status', description: 'Live status of Acme services', cacheSeconds }),
    mode: 'embedded',
    metrics: { perCheck: 'auto' },
    scheduler: { concurrency: 200 },
    retention: { rawMs: 48 * 3_600_000, hourlyMs: 30 * 86_400_000, dailyMs: 400 * 86_400_000 },
    alerts: { enabled: false } as UpstateConfig['alerts'],
    notifiers: {},
    maintenance: undefined as unknown as UpstateConfig['maintenance'],
    incidents: undefined as unknown as UpstateConfig['incidents'],
  };
}
