/**
 * Gatus import end to end: a config covering every condition form, its SQLite storage for
 * history, the real `upstate import` command, the real loader, store, status model and server.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { parseConfig } from '../../config/load-config.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { loadStatusModel } from '../../status/load-status-model.ts';
import { percent, windowStart } from '../../status/rollup-stats.ts';
import { RESOLUTION_MS } from '../../domain/rollup.ts';
import { startNodeServer } from '../../runtime/node/start-node-server.ts';
import { createLogger } from '../../runtime/node/logger.ts';
import { translateGatusCondition } from './translate-gatus-condition.ts';
import { parseGatusConfig } from './import-gatus.ts';
import { createGatusStorage, EXTERNAL_TOKEN, GATUS_CONFIG, GATUS_NOW } from '../../../test/support/import/gatus-fixture.ts';
import { readEnvFile, runImport } from '../../../test/support/import/run-import.ts';

const SOURCE_ENV = { PD_KEY: 'pd-key-from-env', API_TOKEN: 'api-token-from-env', API_BASE: 'http://127.0.0.1:9' };

describe('Gatus conditions', () => {
  it('translates every form Upstate can express and names the problem for the rest', () => {
    const cases: [string, string | RegExp][] = [
      ['[STATUS] == 200', 'status == 200'],
      ['[STATUS] < 300', 'status < 300'],
      ['[STATUS] == any(200, 201)', 'status in [200, 201]'],
      ['[STATUS] != any(500, 503)', 'status not in [500, 503]'],
      ['[STATUS] == pat(2*)', 'status matches "^2.*$"'],
      ['[RESPONSE_TIME] < 300', 'responseTime < 300ms'],
      ['[RESPONSE_TIME] <= 1s', 'responseTime <= 1s'],
      ['[BODY] == pat(*ok*)', 'body matches "^.*ok.*$"'],
      ['[BODY] == OK', 'body == "OK"'],
      ['[BODY].status == UP', 'body.$.status == "UP"'],
      ['[BODY].status == any(UP, DEGRADED)', 'body.$.status in ["UP", "DEGRADED"]'],
      ['[BODY].data[0].id == 3', 'body.$.data[0].id matches "^3$"'],
      ['[BODY][0].ok == true', 'body.$[0].ok matches "^true$"'],
      ['[BODY].count >= 5', 'body.$.count >= 5'],
      ['[BODY].name == pat(john*)', 'body.$.name matches "^john.*$"'],
      ['[BODY].user.name != pat(*bot)', 'body.$.user.name not matches "^.*bot$"'],
      ['[CERTIFICATE_EXPIRATION] > 48h', 'certificateExpiresIn > 2d'],
      ['[CERTIFICATE_EXPIRATION] > 1h30m', 'certificateExpiresIn > 90m'],
      ['[CONNECTED] == true', 'connected == true'],
      ['[DNS_RCODE] == NOERROR', 'dns.rcode == NOERROR'],
      ['len([BODY].items) > 0', 'body.$.items[0] != null'],
      ['len([BODY]) > 0', 'body matches "[\\\\s\\\\S]"'],
      ['has([BODY].version) == true', 'body.$.version != null'],
      ['has([BODY].errors) == false', /cannot test that a value is absent/],
      ['len([BODY].name) == 3', /no length function/],
      ['[IP] == 127.0.0.1', /no resolved IP/],
      ['[DOMAIN_EXPIRATION] > 720h', /domain registration expiry/],
      ['[BODY].count > many', /is not a number/],
    ];
    for (const [gatus, probe, expected] of [
      ['[STATUS] == 0', 'ssh', 'exitCode == 0'],
      ['[STATUS] != 1', 'ssh', 'exitCode != 1'],
      ['[BODY].status == SERVING', 'grpc', 'grpc.status == "SERVING"'],
      ['[BODY].status == SERVING', 'http', 'body.$.status == "SERVING"'],
      ['[STATUS] == 0', 'http', 'status value 0 is not a status code'],
      // on dns endpoints Gatus's [BODY] is the answer: Upstate's dns check has no body, only dns.answers
      ['[BODY] == 127.0.0.1', 'dns', 'dns.answers contains "127.0.0.1"'],
      ['[BODY] != 10.0.0.1', 'dns', 'dns.answers !contains "10.0.0.1"'],
      ['[BODY] == pat(10.*)', 'dns', 'pat() on a DNS answer: Upstate tests dns.answers with contains only'],
    ] as const) {
      const t = translateGatusCondition(gatus, probe);
      assert.equal('condition' in t ? t.condition : t.problem, expected, `${gatus} on ${probe}`);
    }
    for (const [gatus, expected] of cases) {
      const t = translateGatusCondition(gatus);
      if (typeof expected === 'string') assert.deepEqual('condition' in t ? t.condition : t, expected, gatus);
      else assert.match('problem' in t ? t.problem : `translated to ${t.condition}`, expected, gatus);
    }
  });
});

describe('upstate import gatus', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-import-gatus-'));
    writeFileSync(join(dir, 'config.yaml'), GATUS_CONFIG);
    createGatusStorage(join(dir, 'gatus.db'));
    for (const [k, v] of Object.entries(SOURCE_ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps endpoints, conditions, alerting, external endpoints, maintenance and ui; the result validates', async () => {
    const out = join(dir, 'upstate.yaml');
    const result = await runImport(['gatus', join(dir, 'config.yaml'), '--out', out, '--env-out', join(dir, 'u.env')]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /validated: 16 checks/);
    const text = readFileSync(out, 'utf8');
    const config = parse(text) as { page: any; checks: any[]; notifiers: any; alerts: any; maintenance: any[] };
    const check = (name: string) => config.checks.find((c) => c.name === name);
    assert.deepEqual(check('api'), {
      name: 'api', group: 'core', interval: '1m', timeout: '10s',
      conditions: ['status == 200', 'responseTime < 300ms', 'body.$.status == "UP"', 'certificateExpiresIn > 2d'],
      http: { url: 'https://127.0.0.1:8443/health', expectStatus: '100-599', headers: { Authorization: 'Bearer ${API_TOKEN}' } },
    });
    assert.deepEqual(check('search'), {
      name: 'search', group: 'core', interval: '30s', timeout: '5s',
      conditions: ['status in [200, 201]', 'body matches "^.*results.*$"', 'body.$.data[0].id matches "^3$"', 'body.$.name matches "^john.*$"', 'status != 500'],
      http: { url: '${API_BASE}/search?q=x', expectStatus: '100-599', method: 'POST', body: '{"q":"x"}', tls: { verify: false } },
    });
    assert.deepEqual(check('lists').conditions, ['body.$.items[0] != null', 'body.$.version != null', 'body.$.count >= 5']);
    assert.deepEqual(check('database'), { name: 'database', group: 'infra', interval: '2m', timeout: '10s', conditions: ['connected == true', 'responseTime < 1s'], tcp: { host: '127.0.0.1', port: 5432 } });
    assert.deepEqual(check('resolver').dns, { name: 'example.localhost', type: 'A', resolver: '127.0.0.1:5399', rcode: 'NOERROR' });
    assert.deepEqual(check('resolver').conditions, ['dns.rcode == NOERROR', 'dns.answers contains "127.0.0.1"']);
    assert.deepEqual(check('certificate').tls, { host: '127.0.0.1', port: 8443 });
    assert.deepEqual(check('backup'), { name: 'backup', group: 'jobs', heartbeat: { period: '1h', token: '${GATUS_BACKUP_PUSH_TOKEN}' } });
    assert.deepEqual(check('deploys'), { name: 'deploys', group: 'jobs', heartbeat: { period: '1h' } });
    assert.deepEqual(check('lists').http.headers, { 'X-Api-Key': '${GATUS_LISTS_X_API_KEY}', Accept: 'application/json' });
    // the non-HTTP endpoint types, field by field, with their placeholders translated per kind
    assert.deepEqual(check('ping'), { name: 'ping', group: 'infra', interval: '1m', timeout: '10s', conditions: ['connected == true', 'responseTime < 100ms'], icmp: { host: '127.0.0.1', count: 1 } });
    assert.deepEqual(check('ssh'), {
      name: 'ssh', group: 'infra', interval: '1m', timeout: '10s', conditions: ['connected == true', 'exitCode == 0'],
      ssh: { host: '127.0.0.1', port: 2222, username: 'monitor', password: '${GATUS_SSH_PASSWORD}', command: 'systemctl is-active app' },
    });
    assert.deepEqual(check('ssh banner').ssh, { host: '127.0.0.1', port: 22 });
    assert.deepEqual(check('udp').udp, { host: '127.0.0.1', port: 53, send: { hex: '1234010000010000000000000000020001' }, expect: { hex: '1234' } });
    assert.deepEqual(check('mail'), { name: 'mail', interval: '1m', timeout: '10s', conditions: ['connected == true', 'certificateExpiresIn > 2d'], starttls: { host: '127.0.0.1', port: 587, protocol: 'smtp', verify: false } });
    assert.deepEqual(check('socket'), {
      name: 'socket', interval: '1m', timeout: '10s', conditions: ['connected == true', 'body.$.result >= 0'],
      websocket: { url: 'wss://127.0.0.1:9/ws', headers: { Authorization: '${GATUS_SOCKET_AUTHORIZATION}' }, send: 'status' },
    });
    assert.deepEqual(check('health'), { name: 'health', interval: '1m', timeout: '10s', conditions: ['connected == true', 'grpc.status == "SERVING"'], grpc: { host: '127.0.0.1', port: 50051 } });
    assert.deepEqual(check('secure health').grpc, { host: '127.0.0.1', port: 50443, tls: { verify: false } });
    for (const skipped of ['game udp', 'old']) assert.equal(check(skipped), undefined, skipped);

    assert.deepEqual(config.page, { title: 'Acme status', description: 'Live status of Acme.', logo: 'https://127.0.0.1:9/logo.png', links: [{ label: 'Home', url: 'https://acme.example' }] });
    assert.deepEqual(config.notifiers, {
      slack: { kind: 'slack', url: '${GATUS_SLACK_URL}' },
      pagerduty: { kind: 'pagerduty', routingKey: '${PD_KEY}' },
      email: { kind: 'email', host: '127.0.0.1', port: 2525, from: 'gatus@example.com', to: ['ops@example.com', 'dev@example.com'], user: 'alerts', pass: '${GATUS_EMAIL_PASSWORD}' },
      custom: { kind: 'webhook', url: '${GATUS_CUSTOM_URL}', headers: { Authorization: '${GATUS_CUSTOM_AUTHORIZATION}' } },
    });
    assert.deepEqual(config.alerts.checks, { api: { down: { for: 3, sendOnResolved: true, channels: ['slack', 'pagerduty'] } }, backup: { down: { for: 3, sendOnResolved: false, channels: ['custom'] } } });
    assert.deepEqual(config.maintenance, [
      { name: 'search maintenance 1', checks: ['search'], cron: '0 2 * * 0', duration: '30m', timezone: 'UTC' },
      { name: 'Gatus maintenance', cron: '0 23 * * 1,4', duration: '1h', timezone: 'Europe/Amsterdam' },
    ]);
    for (const comment of [
      '# dropped: condition "has([BODY].errors) == false": Upstate conditions cannot test that a value is absent',
      '# dropped: condition "len([BODY].name) == 3": len(…) == 3: Upstate conditions have no length function',
      '# dropped: condition "[IP] == 127.0.0.1": Upstate records no resolved IP',
      '# dropped: condition "[DOMAIN_EXPIRATION] > 720h"',
      '# body.$.items[0] != null: from len([BODY].items) > 0 — assumes the value is an array',
      '# skipped endpoint "game udp": Gatus\'s udp check only opens a socket and exchanges no datagram; Upstate\'s udp check sends a request and waits for its reply, which the import cannot guess for port 27015',
      '# dropped: Gatus exchanged no datagram; Upstate sends a DNS query for the root NS records, expecting an answer with its id (port 53)',
      '# skipped endpoint "old": disabled in Gatus',
      '# alerting.telegram not imported: provider "telegram" has no Upstate channel kind',
      '# dropped: body template with [ALERT_DESCRIPTION] placeholders',
      '# dropped: ui.custom-css',
      '# dropped: token is not usable as an Upstate push token',
    ]) assert.ok(text.includes(comment), `missing comment: ${comment}\n${text}`);
    assert.doesNotMatch(text, /literal-secret|mail-secret|custom-secret|gatus-external-token|lists-key-secret|ssh-secret|ws-secret|check kind yet/);
    assert.match(result.out, /PD_KEY/);
    const env: Record<string, string> = { ...SOURCE_ENV, ...readEnvFile(join(dir, 'u.env')) };
    assert.equal(env.GATUS_BACKUP_PUSH_TOKEN, EXTERNAL_TOKEN);
    assert.deepEqual([env.GATUS_LISTS_X_API_KEY, env.GATUS_SSH_PASSWORD, env.GATUS_SOCKET_AUTHORIZATION], ['lists-key-secret', 'ssh-secret', 'Bearer ws-secret']);
    assert.equal(parseConfig(text, out, { env }).checks.length, 16);
    // running it again gives the same config
    const again = await runImport(['gatus', join(dir, 'config.yaml'), '--out', join(dir, 'again.yaml')]);
    assert.equal(again.code, 0, again.err);
    assert.equal(readFileSync(join(dir, 'again.yaml'), 'utf8'), text);
  });

  it('imports history from Gatus SQLite storage; uptime agrees with Gatus, idempotently; the config serves', async () => {
    const out = join(dir, 'hist.yaml');
    const storeFile = join(dir, 'upstate.db');
    const now = new Date(GATUS_NOW).toISOString();
    const first = await runImport(['gatus', join(dir, 'config.yaml'), '--out', out, '--env-out', join(dir, 'h.env'), '--history', '--store', storeFile, '--now', now]);
    assert.equal(first.code, 0, first.err);
    const written = Number(/history: (\d+) results written for 3 checks/.exec(first.out)?.[1]);
    assert.equal(written, 3 * 30 * 1440, first.out);
    const config = parseConfig(readFileSync(out, 'utf8'), out, { env: { ...SOURCE_ENV, ...readEnvFile(join(dir, 'h.env')) } });
    let store = await createSqliteStore({ path: storeFile });
    const model = await loadStatusModel(store, config, GATUS_NOW);
    const gatus = new Database(join(dir, 'gatus.db'), { readonly: true });
    // Gatus's uptime: SUM(successful_executions) / SUM(total_executions) over its uptime rows in the window
    const gatusUptime = (id: number, from: number, to: number) => {
      const r = gatus.prepare('SELECT SUM(total_executions) AS total, SUM(successful_executions) AS ok FROM endpoint_uptimes WHERE endpoint_id = ? AND hour_unix_timestamp >= ? AND hour_unix_timestamp < ?').get(id, from / 1000, to / 1000) as { total: number; ok: number };
      return percent(r.ok, r.total);
    };
    const hourEnd = windowStart(GATUS_NOW, 'hour', 1) + RESOLUTION_MS.hour;
    const dayEnd = windowStart(GATUS_NOW, 'day', 1) + RESOLUTION_MS.day;
    [['api', 1], ['search', 2], ['database', 3]].forEach(([name, id]) => {
      const c = model.components.find((x) => x.name === name)!;
      assert.equal(c.uptime['24h'], gatusUptime(id as number, windowStart(GATUS_NOW, 'hour', 24), hourEnd), `${name} 24h`);
      assert.equal(c.uptime['30d'], gatusUptime(id as number, windowStart(GATUS_NOW, 'day', 30), dayEnd), `${name} 30d`);
      assert.equal(c.daily.filter((b) => b.count > 0).length, 31, 'bars for the 31 UTC days the 30 days of history touch');
    });
    const recent = await store.readRecentResults('api', { limit: 1 });
    assert.equal(recent[0].at, GATUS_NOW - 60_000, 'the newest raw Gatus result is the newest stored one');
    const before = await store.readRollups(['api', 'search', 'database'], 'day', 0, GATUS_NOW + 86_400_000);
    await store.close();

    const second = await runImport(['gatus', join(dir, 'config.yaml'), '--out', out, '--history', '--store', storeFile, '--now', now]);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /history: 0 results written/);
    store = await createSqliteStore({ path: storeFile });
    assert.deepEqual(await store.readRollups(['api', 'search', 'database'], 'day', 0, GATUS_NOW + 86_400_000), before);

    const server = await startNodeServer({ config: { ...config, alerts: { ...config.alerts, enabled: false } }, store, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
    try {
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Acme status/);
      const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { components: { name: string }[] };
      assert.deepEqual(status.components.map((c) => c.name).sort(), config.checks.map((c) => c.name).sort());
      assert.equal((await fetch(`${server.url}/api/v1/push/${EXTERNAL_TOKEN}`, { method: 'POST' })).status, 200);
    } finally {
      await server.stop();
      await store.close();
      gatus.close();
    }
  });

  it('honours << merge keys, as Gatus does', () => {
    const config = parseGatusConfig(
      'x-defaults: &defaults\n  interval: 5m\n  conditions: ["[STATUS] == 200"]\nendpoints:\n  - name: api\n    url: http://127.0.0.1:9/\n    <<: *defaults\n',
      'merge.yaml',
    );
    const [endpoint] = config.endpoints as { interval: string; conditions: string[] }[];
    assert.equal(endpoint.interval, '5m');
    assert.deepEqual(endpoint.conditions, ['[STATUS] == 200']);
  });

  it('exits 2 naming the file, line and problem when the config is unreadable', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'endpoints:\n  - name: x\n    url: [unclosed\n');
    const broken = await runImport(['gatus', join(dir, 'broken.yaml'), '--out', join(dir, 'x.yaml')]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /broken\.yaml: line \d+: /);
    writeFileSync(join(dir, 'other.yaml'), 'hello: world\n');
    const other = await runImport(['gatus', join(dir, 'other.yaml'), '--out', join(dir, 'x.yaml')]);
    assert.equal(other.code, 2);
    assert.match(other.err, /other\.yaml: not a Gatus config: neither "endpoints" nor "external-endpoints" is a list/);
  });
});
