/**
 * The config file the serve benchmark hands `upstate serve`: N http checks against the local
 * target (one path per check), the default scheduler settings (or a given concurrency), the page on, and alerting on with
 * a `down` rule for every check routed to a webhook on the target's `/hook`. Written as YAML and
 * loaded by the server's own loader, like a user's file. Also seeds the store with a state per
 * check, as after a restart, so the run measures the steady schedule rather than the first round.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';

export interface ServeScenario {
  checks: number;
  intervalMs: number;
  targetPort: number;
  /** Folder for the config file and the `--data` folder. */
  dir: string;
  /** `scheduler.concurrency`; absent = the default. */
  concurrency?: number;
}

/** Writes `<dir>/upstate.yaml` and `<dir>/data/upstate.db` (migrated, states seeded); returns their paths. */
export async function writeServeScenario(s: ServeScenario): Promise<{ config: string; data: string; db: string }> {
  mkdirSync(join(s.dir, 'data'), { recursive: true });
  const base = `http://127.0.0.1:${s.targetPort}`;
  const lines = [
    'page:',
    '  title: Serve benchmark',
    'defaults:',
    `  interval: ${s.intervalMs / 1000}s`,
    '  timeout: 10s',
    'alerts:',
    '  enabled: true',
    '  defaults:',
    '    down: { channels: [hook] }',
    'notifiers:',
    `  hook: { kind: webhook, url: "${base}/hook" }`,
  ];
  if (s.concurrency !== undefined) lines.push('scheduler:', `  concurrency: ${s.concurrency}`);
  if (s.checks === 0) lines.push('checks: []');
  else {
    lines.push('checks:');
    for (let i = 0; i < s.checks; i++) lines.push(`  - { name: check-${i}, http: { url: "${base}/c/${i}" } }`);
  }
  const config = join(s.dir, 'upstate.yaml');
  writeFileSync(config, `${lines.join('\n')}\n`);

  const db = join(s.dir, 'data', 'upstate.db');
  const store = createSqliteStore({ path: db });
  await store.migrate();
  // Steady state, as after a restart: every check has a state whose last result is an interval
  // old, so the scheduler starts each at its own phase instead of running all N at once
  const at = Date.now() - s.intervalMs;
  const states = [];
  for (let i = 0; i < s.checks; i++) {
    const check = `check-${i}`;
    states.push({ check, status: 'up' as const, since: at, streak: 0, lastResult: { check, at, status: 'up' as const, latencyMs: 1, statusCode: 200 } });
  }
  await store.recordResults({ results: [], states });
  await store.close();
  return { config, data: join(s.dir, 'data'), db };
}
