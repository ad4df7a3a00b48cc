/**
 * Test helpers for the web layer: checks and configs with defaults, a real SQLite store in a temp
 * dir, and seeding results (with their confirmed states) through `recordResults`.
 * Used by the `*.test.ts` files of the web layer and the status model; excluded from the build.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Check } from '../../src/domain/check.ts';
import type { CheckResult } from '../../src/domain/result.ts';
import type { CheckState } from '../../src/domain/status.ts';
import type { UpstateConfig } from '../../src/config/types.ts';
import type { EmbeddedStore } from '../../src/storage/store.ts';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { pageConfigSchema } from '../../src/http/page-config.ts';

/** A check with test defaults (an HTTP check every minute). */
export function testCheck(name: string, extra: Partial<Check> = {}): Check {
  return {
    name,
    intervalMs: 60_000,
    timeoutMs: 10_000,
    confirm: { downAfter: { count: 1, of: 1 }, upAfter: 1 },
    conditions: [],
    kind: 'http',
    probe: {},
    target: `https://${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.test/`,
    regions: ['local'],
    quorum: 1,
    ...extra,
  };
}

/** A full config around `checks`; `page` is parsed so its defaults apply. */
export function testConfig(checks: Check[], extra: Partial<Omit<UpstateConfig, 'page'>> & { page?: Record<string, unknown> } = {}): UpstateConfig {
  const { page, ...rest } = extra;
  return {
    source: join(tmpdir(), 'upstate.yaml'),
    checks,
    page: pageConfigSchema.parse(page ?? { title: 'Acme status' }),
    mode: 'embedded',
    scheduler: { concurrency: 4 },
    retention: { rawMs: 7 * 86_400_000, hourlyMs: 30 * 86_400_000, dailyMs: 400 * 86_400_000 },
    alerts: { enabled: false } as UpstateConfig['alerts'],
    notifiers: {},
    maintenance: undefined,
    incidents: undefined,
    metrics: { perCheck: 'auto' },
    ...rest,
  };
}

/** A migrated SQLite store in a fresh temp dir. */
export async function openTestStore(): Promise<{ store: EmbeddedStore; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-http-'));
  const store = createSqliteStore({ path: join(dir, 'upstate.db') });
  await store.migrate();
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A result with the given status. */
export function result(check: string, at: number, status: CheckResult['status'], latencyMs: number, extra: Partial<CheckResult> = {}): CheckResult {
  return { check, at, status, latencyMs, ...extra };
}

/** The confirmed states after `results` when every result confirms immediately. */
export function statesAfter(results: readonly CheckResult[]): CheckState[] {
  const last = new Map<string, CheckResult>();
  for (const r of [...results].sort((a, b) => a.at - b.at)) last.set(r.check, r);
  return [...last.values()].map((r) => ({ check: r.check, status: r.status, since: r.at, lastResult: r, streak: 0 }));
}

/** Records results and the states they lead to. */
export async function seed(store: EmbeddedStore, results: CheckResult[]): Promise<void> {
  await store.recordResults({ results, states: statesAfter(results) });
}

/** Serves `app` with @hono/node-server on 127.0.0.1 at a free port. */
export async function startServer(app: { fetch: (request: Request, ...rest: any[]) => Response | Promise<Response> }): Promise<{ url: string; close: () => Promise<void> }> {
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Open SSE streams would hold the server open: cut them.
            (server as import('node:http').Server).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
