/**
 * Uptime Kuma import end to end: fixtures built from Kuma's public schema (1.23 and 2.x databases,
 * 1.x JSON backup), the real `upstate import` command, the real config loader, a real SQLite
 * store, the status model, and the real server.
 */
import { componentId } from '../../status/component-id.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load-config.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { loadStatusModel } from '../../status/load-status-model.ts';
import { createMaintenanceCalendar } from '../../maintenance/create-maintenance-calendar.ts';
import { percent, windowStart } from '../../status/rollup-stats.ts';
import { RESOLUTION_MS } from '../../domain/rollup.ts';
import { startNodeServer } from '../../runtime/node/start-node-server.ts';
import { createLogger } from '../../runtime/node/logger.ts';
import { createKumaDatabase, kumaBackupJson, KUMA_MONITORS, KUMA_NOW, PUSH_TOKEN } from '../../../test/support/import/kuma-fixture.ts';
import { readEnvFile, runImport } from '../../../test/support/import/run-import.ts';

const NOW_ISO = new Date(KUMA_NOW).toISOString();

/** Kuma's uptime for a window, computed from the heartbeat rows the way Kuma 2.x counts: up/(up+down), UP+MAINTENANCE up, DOWN+PENDING down. */
function kumaUptime(db: Database.Database, monitorId: number, from: number, to: number): { up: number; down: number } {
  return db.prepare(`SELECT SUM(CASE WHEN status IN (1,3) THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN status IN (0,2) THEN 1 ELSE 0 END) AS down
    FROM heartbeat WHERE monitor_id = ? AND time >= ? AND time < ?`).get(monitorId, kumaText(from), kumaText(to)) as { up: number; down: number };
}
const kumaText = (at: number) => new Date(at).toISOString().replace('T', ' ').replace('Z', '');

describe('upstate import uptime-kuma', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-import-kuma-'));
    createKumaDatabase(join(dir, 'kuma2.db'), '2');
    createKumaDatabase(join(dir, 'kuma1.db'), '1');
    writeFileSync(join(dir, 'backup.json'), kumaBackupJson());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('maps a 2.x database field by field, with comments on what was dropped, and the result validates', async () => {
    const out = join(dir, 'v2.yaml');
    const envFile = join(dir, 'v2.env');
    const result = await runImport(['uptime-kuma', join(dir, 'kuma2.db'), '--out', out, '--env-out', envFile, '--now', NOW_ISO]);
    assert.equal(result.code, 0, result.err);
    const text = readFileSync(out, 'utf8');
    const config = parse(text) as { page: Record<string, unknown>; checks: Record<string, any>[]; notifiers: Record<string, any>; alerts: any; maintenance: any[]; incidents: any[] };
    const check = (name: string) => config.checks.find((c) => c.name === name)!;

    assert.deepEqual(check('API'), {
      name: 'API', group: 'Services', description: 'Public API', interval: '1m', timeout: '48s', downAfter: 3,
      http: { url: 'https://127.0.0.1:8443/health', headers: { Authorization: '${KUMA_API_AUTHORIZATION}', Accept: 'application/json' }, expectStatus: ['200-299', '304'], maxRedirects: 10 },
    });
    assert.deepEqual(check('Orders POST'), {
      name: 'Orders POST', group: 'Backend', interval: '2m', timeout: '96s', // 80% of 120 s
      http: { url: 'http://127.0.0.1:9/orders', method: 'POST', body: { ping: true }, expectStatus: ['200-299'], followRedirects: false, tls: { verify: false }, auth: { basic: { username: 'probe', password: '${KUMA_ORDERS_POST_PASSWORD}' } } },
    });
    assert.deepEqual(check('Admin with URL credentials').http.auth, { basic: { username: 'admin', password: '${KUMA_ADMIN_WITH_URL_CREDENTIALS_PASSWORD}' } });
    assert.equal(check('Admin with URL credentials').http.url, 'http://127.0.0.1:9/admin');
    assert.equal(check('Homepage').http.bodyContains, 'Welcome');
    assert.deepEqual(check('No errors').conditions, ['body !contains "ERROR"']);
    assert.deepEqual(check('Status JSON').conditions, ['body.$.status matches "^UP$"']);
    assert.deepEqual(check('Queue depth').conditions, ['body.$.data.count < 5']);
    assert.equal(check('Price sum').conditions, undefined);
    assert.deepEqual(check('Database port').tcp, { host: '127.0.0.1', port: 5432 });
    assert.equal(check('Database port').group, 'Infrastructure');
    assert.deepEqual(check('DNS apex').dns, { name: 'example.localhost', type: 'A', resolver: '127.0.0.1:5399' });
    assert.deepEqual(check('DNS mail').dns, { name: 'example.localhost', type: 'MX', resolver: '127.0.0.1' });
    assert.deepEqual(check('Nightly backup'), { name: 'Nightly backup', heartbeat: { period: '1d', grace: '30m', token: '${KUMA_NIGHTLY_BACKUP_PUSH_TOKEN}' } });
    assert.deepEqual(check('Hourly job'), { name: 'Hourly job', heartbeat: { period: '1h' } });
    assert.ok(check('API (2)'), 'the second "API" monitor is renamed');
    // the kinds added since the first import: every field Kuma stores for them
    assert.deepEqual(check('Gateway ping'), { name: 'Gateway ping', group: 'Infrastructure', interval: '1m', timeout: '48s', icmp: { host: '127.0.0.1', count: 1 } });
    assert.deepEqual(check('Core ping').icmp, { host: '127.0.0.1', count: 3 });
    assert.deepEqual(check('MySQL'), {
      name: 'MySQL', interval: '1m', timeout: '48s',
      mysql: { host: '127.0.0.1', port: 3306, user: 'shop', password: '${KUMA_MYSQL_PASSWORD}', database: 'shop', query: 'SELECT COUNT(*) FROM orders' },
    });
    assert.deepEqual(check('MySQL replica').mysql, { host: '127.0.0.1', port: 3307, user: 'replica', password: '${KUMA_MYSQL_REPLICA_PASSWORD}', database: 'shop' });
    assert.deepEqual(check('PostgreSQL').postgres, { host: '127.0.0.1', port: 5432, user: 'monitor', password: '${KUMA_POSTGRESQL_PASSWORD}', database: 'app', tls: true, query: 'SELECT 1' });
    assert.deepEqual(check('Redis').redis, { host: '127.0.0.1', port: 6380, password: '${KUMA_REDIS_PASSWORD}', database: 2, tls: { verify: false } });
    assert.deepEqual(check('gRPC health'), {
      name: 'gRPC health', interval: '1m', timeout: '48s',
      grpc: { host: '127.0.0.1', port: 50051, service: 'orders', tls: true, metadata: { authorization: '${KUMA_GRPC_HEALTH_AUTHORIZATION}', 'x-team': 'core' } },
    });
    assert.deepEqual(check('Checkout flow'), { name: 'Checkout flow', interval: '5m', timeout: '4m', browser: { url: 'http://127.0.0.1:9/checkout' } });
    assert.deepEqual(check('Checkout (remote browser)').browser, { url: 'http://127.0.0.1:9/checkout' });
    assert.deepEqual(check('Live feed'), { name: 'Live feed', interval: '1m', timeout: '48s', websocket: { url: 'ws://127.0.0.1:9/feed', protocols: ['v2.feed', 'json'] } });
    assert.deepEqual(check('Mail relay').starttls, { host: '127.0.0.1', port: 587, protocol: 'smtp' });
    assert.deepEqual(check('Plain SMTP').tcp, { host: '127.0.0.1', port: 2526, expect: { regex: '^220[ -]' } });
    for (const skipped of ['Orders gRPC', 'Legacy Postgres', 'MongoDB', 'Web container']) assert.equal(check(skipped), undefined, skipped);
    assert.equal(check('Intranet').http.auth, undefined);
    // page order: status-page groups first, in their order
    assert.deepEqual(config.checks.slice(0, 5).map((c) => c.name), ['Homepage', 'API', 'Status JSON', 'Database port', 'DNS apex']);

    assert.deepEqual(config.page, { title: 'Acme status', description: 'Live status of Acme', footer: 'Times are UTC.', publicUrl: 'https://status.acme.example' });
    assert.deepEqual(config.notifiers['Ops-Slack'], { kind: 'slack', url: '${KUMA_OPS_SLACK_URL}', channel: '#ops', username: 'kuma', iconEmoji: ':rotating_light:' });
    assert.deepEqual(config.notifiers.Mail, { kind: 'email', host: '127.0.0.1', port: 2525, from: 'kuma@example.com', to: ['ops@example.com', 'dev@example.com'], user: 'alerts', pass: '${KUMA_MAIL_SMTP_PASSWORD}' });
    assert.deepEqual(config.notifiers.PagerDuty, { kind: 'pagerduty', routingKey: '${KUMA_PAGERDUTY_ROUTING_KEY}', eventsUrl: 'http://127.0.0.1:9/pd' });
    assert.deepEqual(config.notifiers.Hook, { kind: 'webhook', url: '${KUMA_HOOK_URL}', headers: { 'X-Token': '${KUMA_HOOK_X_TOKEN}' } });
    assert.equal(config.notifiers.Telegram, undefined);
    assert.deepEqual(config.alerts.checks.API, { down: { channels: ['Ops-Slack', 'Mail'], repeatEvery: '10m' }, certificate: { within: '21d', channels: ['Ops-Slack', 'Mail'] } });
    assert.deepEqual(config.alerts.checks['Nightly backup'], { down: { channels: ['Hook'] } });

    assert.deepEqual(config.maintenance.map((w) => [w.name, w.start ?? w.cron, w.end ?? w.duration, w.timezone, w.checks]), [
      ['Database upgrade', '2026-02-01T21:00:00Z', '2026-02-02T00:00:00Z', undefined, ['Database port', 'PostgreSQL']],
      ['Weekly patching', '0 3 * * 0,1', '90m', 'UTC', ['API', 'Homepage', 'Status JSON', 'Database port', 'DNS apex', 'Gateway ping']],
      ['Nightly reindex', '30 2 * * *', '45m', 'America/New_York', ['Homepage']],
      ['Month start', '0 23 1 * *', '2h', 'UTC', ['SMTP port']],
    ]);
    assert.deepEqual(config.incidents, [
      { id: 'kuma-1', title: 'API errors', impact: 'major', at: '2026-01-15T11:00:00Z', body: 'We are investigating elevated errors.' },
      { id: 'kuma-2', title: 'Slow checkout', impact: 'minor', at: '2026-01-05T12:00:00Z', status: 'resolved', resolvedAt: '2026-01-06T12:00:00Z', body: 'Resolved.' },
    ]);

    // what was dropped, written where it belongs
    for (const comment of [
      '# skipped DNS service (Kuma #16, dns): DNS record type SRV is not supported by Upstate',
      '# skipped Web container (Kuma #19, docker): reads container state from a Docker daemon',
      '# skipped Orders gRPC (Kuma #37, grpc-keyword): calls shop.Orders/List and looks for a keyword in the reply; Upstate\'s grpc check asks only the standard health service (grpc.health.v1.Health/Check)',
      '# skipped Legacy Postgres (Kuma #44, postgres): connection string is not a postgres:// or postgresql:// URL with a host',
      '# dropped: connection options application_name',
      '# dropped: remote browser #1 (Upstate starts Chromium on its own host: browser.executablePath)',
      '# dropped: plain SMTP without TLS',
      "# dropped: packet size 120 bytes (Upstate's icmp check sends ping's default 56)",
      '# Kuma looked for "SERVING" in the reply',
      '# skipped Paused site (Kuma #31, http): paused in Kuma',
      '# skipped Must be down (Kuma #32, http): upside-down mode',
      '# dropped: JSON query "$sum(items.price)" is a JSONata expression',
      '# dropped: ntlm authentication is not supported by Upstate',
      '# dropped: retry interval 30s',
      "# dropped: Kuma's push token is shorter than 16 characters",
      '# notification "Telegram" not imported: notification type "telegram" has no Upstate channel kind',
      '# skipped maintenance "Manual switch" (manual)',
      '# skipped maintenance "Every third day" (recurring-interval): every 3 days cannot be expressed',
      '# skipped maintenance "Docker host reboot" (single): none of its monitors were imported',
      '# dropped: days lastDay1',
      '# dropped: custom CSS',
      '# dropped: Kuma conditions record contains "127.0.0.1" (not translated;',
      '# skipped Kuma incident #3 "VPN flapping": posted on status page "internal", which is not imported (Upstate serves one status page)',
      '# Kuma tags (not imported): env=prod',
    ]) assert.ok(text.includes(comment), `missing comment: ${comment}\n${text}`);

    // the summary accounts for every monitor
    const monitors = KUMA_MONITORS.filter((m) => m.type !== 'group').length;
    const count = (label: string) => Number(new RegExp(`^${label}: .*?(\\d+) monitors`, 'm').exec(result.out)?.[1] ?? 0);
    assert.deepEqual([count('mapped'), count('partially mapped'), count('skipped')], [19, 9, 14]);
    assert.equal(count('mapped') + count('partially mapped') + count('skipped'), monitors);
    assert.match(result.out, /monitor "Intranet": ntlm authentication is not supported/);
    assert.match(result.out, /monitor "Orders gRPC": calls shop.Orders\/List/);
    assert.match(result.out, /incident "VPN flapping": posted on status page "internal", which is not imported/);
    assert.doesNotMatch(text + result.out, /check kind yet/);
    for (const variable of ['KUMA_OPS_SLACK_URL', 'KUMA_MYSQL_PASSWORD', 'KUMA_MYSQL_REPLICA_PASSWORD', 'KUMA_POSTGRESQL_PASSWORD', 'KUMA_REDIS_PASSWORD', 'KUMA_GRPC_HEALTH_AUTHORIZATION']) {
      assert.match(result.out, new RegExp(`^  ${variable}$`, 'm'), `summary lists ${variable}`);
    }
    assert.doesNotMatch(text + result.out, /api-secret-token|basic-secret|url-secret|smtp-secret|pd-routing-key-123|hook-secret|mysql-secret|replica-secret|pg@secret|pg%40secret|redis-secret|grpc-secret/);

    // the written file passes the real loader with the listed variables set
    const env = readEnvFile(envFile);
    assert.equal(env.KUMA_API_AUTHORIZATION, 'Bearer api-secret-token');
    assert.deepEqual([env.KUMA_POSTGRESQL_PASSWORD, env.KUMA_MYSQL_PASSWORD, env.KUMA_MYSQL_REPLICA_PASSWORD, env.KUMA_REDIS_PASSWORD, env.KUMA_GRPC_HEALTH_AUTHORIZATION], ['pg@secret', 'mysql-secret', 'replica-secret', 'redis-secret', 'Bearer grpc-secret']);
    const loaded = parseConfig(text, out, { env });
    assert.equal(loaded.checks.length, config.checks.length);
    assert.deepEqual(loaded.checks.find((c) => c.name === 'API')!.confirm.downAfter, { count: 3, of: 3 });

    // running it again gives the same config
    const again = await runImport(['uptime-kuma', join(dir, 'kuma2.db'), '--out', join(dir, 'v2-again.yaml'), '--now', NOW_ISO]);
    assert.equal(again.code, 0);
    assert.equal(readFileSync(join(dir, 'v2-again.yaml'), 'utf8'), text);
  });

  it('imports 90 days of heartbeats; uptime agrees with Kuma, a second run adds nothing, and the config serves', async () => {
    const out = join(dir, 'hist.yaml');
    const envFile = join(dir, 'hist.env');
    const storeFile = join(dir, 'upstate.db');
    const first = await runImport(['uptime-kuma', join(dir, 'kuma2.db'), '--out', out, '--env-out', envFile, '--history', '--store', storeFile, '--now', NOW_ISO]);
    assert.equal(first.code, 0, first.err);
    const written = Number(/history: (\d+) results written/.exec(first.out)![1]);
    assert.equal(written, 28 * 90 * 24, first.out);

    const env = readEnvFile(envFile);
    const config = parseConfig(readFileSync(out, 'utf8'), out, { env });
    const kuma = new Database(join(dir, 'kuma2.db'), { readonly: true });
    const idOf = (name: string) => (kuma.prepare('SELECT id FROM monitor WHERE name = ? ORDER BY id LIMIT 1').get(name) as { id: number }).id;
    let store = await createSqliteStore({ path: storeFile });
    const model = await loadStatusModel(store, config, KUMA_NOW);
    const end = { hour: windowStart(KUMA_NOW, 'hour', 1) + RESOLUTION_MS.hour, day: windowStart(KUMA_NOW, 'day', 1) + RESOLUTION_MS.day };
    const windows = { '24h': [windowStart(KUMA_NOW, 'hour', 24), end.hour], '7d': [windowStart(KUMA_NOW, 'hour', 168), end.hour], '30d': [windowStart(KUMA_NOW, 'day', 30), end.day], '90d': [windowStart(KUMA_NOW, 'day', 90), end.day] } as const;
    let compared = 0;
    for (const name of ['API', 'Homepage', 'Status JSON', 'Database port', 'DNS apex', 'Nightly backup', 'Orders POST']) {
      const component = model.components.find((c) => c.name === name)!;
      for (const [window, [from, to]] of Object.entries(windows)) {
        const { up, down } = kumaUptime(kuma, idOf(name), from, to);
        assert.equal(component.uptime[window as keyof typeof windows], percent(up, up + down), `${name} ${window}`);
        compared++;
      }
      // the 90 daily bars equal Kuma 2.x's own stat_daily rows
      const daily = kuma.prepare('SELECT timestamp, up, down FROM stat_daily WHERE monitor_id = ?').all(idOf(name)) as { timestamp: number; up: number; down: number }[];
      const byDay = new Map(daily.map((d) => [d.timestamp * 1000, d]));
      for (const bar of component.daily.filter((b) => b.count > 0)) {
        const d = byDay.get(bar.start)!;
        assert.equal(bar.count, d.up + d.down, `${name} ${bar.date}`);
        assert.equal(bar.uptime, percent(d.up, d.up + d.down));
      }
      assert.ok(component.daily.filter((b) => b.count > 0).length >= 90, `${name} has 90 days of bars`);
    }
    assert.equal(compared, 28);
    const rollupsBefore = await store.readRollups(config.checks.map((c) => c.name), 'day', 0, KUMA_NOW + 86_400_000);
    const rawBefore = (await store.readResults('API', 0, KUMA_NOW + 1)).length;
    assert.ok(rawBefore > 0 && rawBefore <= 49, `only the raw tail (48 h) is kept (${rawBefore})`);
    await store.close();

    const second = await runImport(['uptime-kuma', join(dir, 'kuma2.db'), '--out', out, '--history', '--store', storeFile, '--now', NOW_ISO]);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /history: 0 results written/);
    // a week later, once retention has removed the whole raw tail, the stored states still say
    // what was imported: runs then must not write it all again
    const weekLater = new Date(KUMA_NOW + 7 * 86_400_000).toISOString();
    for (const run of [1, 2]) {
      const later = await runImport(['uptime-kuma', join(dir, 'kuma2.db'), '--out', out, '--history', '--store', storeFile, '--now', weekLater]);
      assert.equal(later.code, 0, later.err);
      assert.match(later.out, /history: 0 results written/, `run ${run} a week later`);
    }
    store = await createSqliteStore({ path: storeFile });
    assert.deepEqual(await store.readRollups(config.checks.map((c) => c.name), 'day', 0, KUMA_NOW + 86_400_000), rollupsBefore);

    // serves: page and status API over HTTP, with the history in place; the kept push token works
    const server = await startNodeServer({ config: { ...config, alerts: { ...config.alerts, enabled: false } }, store, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
    try {
      // a large page's healthy groups are collapsed: their rows are on the group's own page. The
      // imported recurring maintenance windows follow the real clock, and a group in one is open
      // (not healthy), so the expectation comes from the model at the time of the request
      const groupId = componentId(`group:${config.checks.find((c) => c.name === 'Homepage')!.group}`);
      const calendar = createMaintenanceCalendar(config.maintenance, config.checks);
      const groupHealthy = async () => {
        const status = (await loadStatusModel(store, config, Date.now(), { calendar })).groups.find((g) => g.id === groupId)?.status;
        return status === 'up' || status === 'unknown';
      };
      const healthyBefore = await groupHealthy();
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      const html = await page.text();
      const healthyAfter = await groupHealthy();
      assert.match(html, /Acme status/);
      const group = `/groups/${groupId}`;
      const linked = html.includes(`href="${group}"`) || html.includes(`href=${group}>`);
      // (a window that opened or closed during the request decides nothing)
      if (healthyBefore === healthyAfter) assert.equal(linked, healthyBefore, `the page links ${group} exactly when the group is healthy (${healthyBefore})`);
      assert.match(await (await fetch(`${server.url}${group}`)).text(), /Homepage/);
      const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { components: { name: string; uptime: Record<string, number | null> }[] };
      assert.equal(status.components.length, config.checks.length);
      // the API reads the same model (at the real clock, so compare with the model at that time)
      const live = await loadStatusModel(store, config, Date.now());
      assert.equal(status.components.find((c) => c.name === 'API')!.uptime['90d'], live.components.find((c) => c.name === 'API')!.uptime['90d']);
      const push = await fetch(`${server.url}/api/v1/push/${PUSH_TOKEN}`, { method: 'POST' });
      assert.equal(push.status, 200);
    } finally {
      await server.stop();
      await store.close();
      kuma.close();
    }
  });

  it('continues the 90-day bars from Kuma 2.x daily statistics once Kuma has deleted older heartbeats', async () => {
    // Kuma 2.x with keepDataPeriodDays = 30: heartbeats older than 30 days are gone, stat_daily stays
    const source = join(dir, 'kuma2-trimmed.db');
    copyFileSync(join(dir, 'kuma2.db'), source);
    const trimmed = new Database(source);
    const cutoff = KUMA_NOW - 30 * 86_400_000;
    const removed = trimmed.prepare('DELETE FROM heartbeat WHERE time < ?').run(kumaText(cutoff)).changes;
    trimmed.close();
    assert.ok(removed > 20 * 60 * 24, `${removed} heartbeats removed`);
    const out = join(dir, 'trimmed.yaml');
    const storeFile = join(dir, 'trimmed-upstate.db');
    const args = ['uptime-kuma', source, '--out', out, '--env-out', join(dir, 'trimmed.env'), '--history', '--store', storeFile, '--now', NOW_ISO];
    const first = await runImport(args);
    assert.equal(first.code, 0, first.err);
    const config = parseConfig(readFileSync(out, 'utf8'), out, { env: readEnvFile(join(dir, 'trimmed.env')) });
    const kuma = new Database(source, { readonly: true });
    let store = await createSqliteStore({ path: storeFile });
    try {
      const model = await loadStatusModel(store, config, KUMA_NOW);
      const from90 = windowStart(KUMA_NOW, 'day', 90);
      for (const name of ['API', 'Homepage', 'Database port', 'Gateway ping', 'PostgreSQL']) {
        const id = (kuma.prepare('SELECT id FROM monitor WHERE name = ? ORDER BY id LIMIT 1').get(name) as { id: number }).id;
        const component = model.components.find((c) => c.name === name)!;
        const daily = kuma.prepare('SELECT timestamp, up, down FROM stat_daily WHERE monitor_id = ? AND timestamp >= ?').all(id, from90 / 1000) as { timestamp: number; up: number; down: number }[];
        const [up, all] = daily.reduce(([u, a], d) => [u + d.up, a + d.up + d.down], [0, 0]);
        assert.equal(component.uptime['90d'], percent(up, all), `${name} 90d equals Kuma's stat_daily`);
        const bars = component.daily.filter((b) => b.count > 0);
        assert.ok(bars.length >= 90, `${name}: ${bars.length} daily bars`);
        const byDay = new Map(daily.map((d) => [d.timestamp * 1000, d]));
        for (const bar of bars) {
          const d = byDay.get(bar.start)!;
          assert.equal(bar.count, d.up + d.down, `${name} ${bar.date}`);
        }
        // the last 24 h still come from the heartbeats themselves
        const { up: u24, down: d24 } = kumaUptime(kuma, id, windowStart(KUMA_NOW, 'hour', 24), windowStart(KUMA_NOW, 'hour', 1) + RESOLUTION_MS.hour);
        assert.equal(component.uptime['24h'], percent(u24, u24 + d24), `${name} 24h`);
      }
      const before = await store.readRollups(config.checks.map((c) => c.name), 'day', 0, KUMA_NOW + 86_400_000);
      await store.close();
      const second = await runImport(args);
      assert.match(second.out, /history: 0 results written/);
      store = await createSqliteStore({ path: storeFile });
      assert.deepEqual(await store.readRollups(config.checks.map((c) => c.name), 'day', 0, KUMA_NOW + 86_400_000), before);
    } finally {
      await store.close();
      kuma.close();
    }
  });

  it('reads a 1.23 database and a 1.x JSON backup; both validate', async () => {
    for (const [source, header] of [['kuma1.db', '1.23 database'], ['backup.json', '1.x JSON backup']]) {
      const out = join(dir, `${source}.yaml`);
      const envFile = join(dir, `${source}.env`);
      const result = await runImport(['uptime-kuma', join(dir, source), '--out', out, '--env-out', envFile]);
      assert.equal(result.code, 0, result.err);
      const text = readFileSync(out, 'utf8');
      assert.ok(text.startsWith(`# Imported from Uptime Kuma (${header})`), text.slice(0, 200));
      const config = parseConfig(text, out, { env: readEnvFile(envFile) });
      assert.ok(config.checks.some((c) => c.name === 'Status JSON'));
      assert.deepEqual(parse(text).checks.find((c: { name: string }) => c.name === 'API').http.headers, { Authorization: '${KUMA_API_AUTHORIZATION}', Accept: 'application/json' });
      // the database and gRPC fields have their own names in a backup (databaseConnectionString, grpcUrl …)
      const written = (name: string) => parse(text).checks.find((c: { name: string }) => c.name === name);
      assert.deepEqual(written('PostgreSQL').postgres, { host: '127.0.0.1', port: 5432, user: 'monitor', password: '${KUMA_POSTGRESQL_PASSWORD}', database: 'app', tls: true, query: 'SELECT 1' }, source);
      assert.deepEqual(written('MySQL replica').mysql.password, '${KUMA_MYSQL_REPLICA_PASSWORD}', source);
      assert.deepEqual(written('gRPC health').grpc, { host: '127.0.0.1', port: 50051, service: 'orders', tls: true, metadata: { authorization: '${KUMA_GRPC_HEALTH_AUTHORIZATION}', 'x-team': 'core' } }, source);
      assert.deepEqual(written('Gateway ping').icmp, { host: '127.0.0.1', count: 1 }, source);
    }
  });

  it('exits 2 naming the file and the problem when the input is unreadable', async () => {
    const missing = await runImport(['uptime-kuma', join(dir, 'nope.db'), '--out', join(dir, 'x.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.db: file not found/);
    writeFileSync(join(dir, 'garbage.db'), 'hello, not a database');
    const garbage = await runImport(['uptime-kuma', join(dir, 'garbage.db'), '--out', join(dir, 'x.yaml')]);
    assert.equal(garbage.code, 2);
    assert.match(garbage.err, /garbage\.db: not valid JSON .* and not an SQLite database/);
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    const wrong = await runImport(['uptime-kuma', join(dir, 'other.db'), '--out', join(dir, 'x.yaml')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /other\.db: not an Uptime Kuma database: table "monitor" is missing/);
  });
});
