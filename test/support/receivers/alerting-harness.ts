/**
 * Test harness for alerting scenarios: a real SQLite store in a temp dir, the real result bus
 * (with the store writer subscribed first, as in the runtime), a manual clock and helpers to
 * publish results and open more instances over the same database (restart, cluster).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Check } from '../../../src/domain/check.ts';
import type { CheckResult } from '../../../src/domain/result.ts';
import { lastResultOf, type CheckStatus } from '../../../src/domain/status.ts';
import type { EmbeddedStore } from '../../../src/storage/store.ts';
import { createSqliteStore } from '../../../src/storage/sqlite/sqlite-store.ts';
import { createResultBus, type ResultBus } from '../../../src/kernel/result-bus.ts';
import { createManualClock, type ManualClock } from '../../../src/kernel/clock.ts';
import { alertsConfigSchema, notifiersConfigSchema } from '../../../src/alerting/alerts-config.ts';
import { createAlerting, type Alerting, type AlertingDeps } from '../../../src/alerting/create-alerting.ts';
import { testCheck as baseCheck } from '../http-fixture.ts';

/** Hour-aligned start time so windows are easy to reason about. */
export const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);

/** http-fixture's test check, run every 30 s with a 5 s timeout (what the alerting tests' windows assume). */
export function testCheck(name: string, extra: Partial<Check> = {}): Check {
  return baseCheck(name, { intervalMs: 30_000, timeoutMs: 5_000, target: `https://${name}.example.com/health`, ...extra });
}

export interface HarnessOptions {
  alerts?: unknown;
  notifiers: unknown;
  checks: Check[];
  isInMaintenance?: (check: string, at: number) => boolean;
  dispatcher?: AlertingDeps['dispatcher'];
  onDelivery?: AlertingDeps['onDelivery'];
  /** Opens each instance's store (e.g. PostgreSQL for a cluster); default: SQLite in a temp dir. */
  openStore?: () => EmbeddedStore;
  /** An existing database file to open (another process's); the harness then leaves it in place on close. */
  path?: string;
  /** The page's public URL (acknowledge links point there). */
  publicUrl?: string;
}

export interface Instance {
  store: EmbeddedStore;
  bus: ResultBus;
  alerting: Alerting;
  busErrors: unknown[];
}

export interface AlertingHarness extends Instance {
  clock: ManualClock;
  /** Publishes one result per check at the current time; the confirmed status defaults to the result's. */
  publish(results: (Partial<CheckResult> & { check: string; confirmed?: CheckStatus })[], bus?: ResultBus): Promise<void>;
  /** Another instance (own store handle, bus and alerting) over the same database file. */
  instance(options?: Partial<HarnessOptions>): Promise<Instance>;
  close(): Promise<void>;
}

export async function createAlertingHarness(options: HarnessOptions): Promise<AlertingHarness> {
  const dir = options.path === undefined ? mkdtempSync(join(tmpdir(), 'upstate-alerting-')) : undefined;
  const path = options.path ?? join(dir!, 'upstate.db');
  const clock = createManualClock(T0);
  const instances: Instance[] = [];

  async function instance(overrides: Partial<HarnessOptions> = {}): Promise<Instance> {
    const merged = { ...options, ...overrides };
    const store = merged.openStore?.() ?? createSqliteStore({ path });
    await store.migrate();
    const busErrors: unknown[] = [];
    const bus = createResultBus((error) => busErrors.push(error));
    bus.subscribe((event) => store.recordResults(event));
    const alerting = createAlerting({
      alerts: alertsConfigSchema.parse(merged.alerts),
      channels: notifiersConfigSchema.parse(merged.notifiers),
      checks: merged.checks,
      store,
      bus,
      clock,
      isInMaintenance: merged.isInMaintenance ?? (() => false),
      owner: `instance-${instances.length + 1}`,
      linkFor: (check) => `https://status.example.com/checks/${encodeURIComponent(check)}`,
      publicUrl: merged.publicUrl,
      dispatcher: { pollMs: 1_000, leaseMs: 30_000, retry: { baseMs: 1_000, maxDelayMs: 8_000, maxAttempts: 6, maxAgeMs: 3_600_000 }, ...merged.dispatcher },
      random: () => 0.5,
      onDelivery: merged.onDelivery,
    });
    const created = { store, bus, alerting, busErrors };
    instances.push(created);
    return created;
  }

  const first = await instance();
  return {
    ...first,
    clock,
    async publish(results, bus = first.bus) {
      const at = clock.now();
      const full: CheckResult[] = results.map(({ confirmed: _, ...r }) => ({ at, status: 'up', latencyMs: 50, ...r }));
      const states = results.map((r, i) => ({
        check: r.check,
        status: r.confirmed ?? (full[i].inMaintenance ? 'maintenance' : full[i].status),
        since: at,
        lastResult: lastResultOf(full[i]),
        streak: 0,
      }));
      await bus.publish({ results: full, states });
    },
    instance,
    async close() {
      for (const { alerting, store } of instances) {
        await alerting.stop();
        await store.close();
      }
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
