/**
 * Builds Gatus fixtures: a config covering every condition form (placeholders, pat(), any(),
 * len(), has()), alerting providers, external endpoints, maintenance and ui; and a SQLite storage
 * file with Gatus's schema (storage/store/sql) holding 30 days of uptime rows — hourly for the
 * last 48 h, merged per day before, as Gatus keeps them — plus each endpoint's last 100 results
 * (the same rows go into PostgreSQL in gatus-postgres-fixture.ts). One execution per minute,
 * outcomes from a seeded PRNG. Every target is on 127.0.0.1.
 * @module
 */
import Database from 'better-sqlite3';
import { seededRandom } from '../seeded-random.ts';

export const GATUS_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const EXTERNAL_TOKEN = 'gatus-external-token-0123456789';

export const GATUS_CONFIG = `
storage:
  type: sqlite
  path: gatus.db
ui:
  title: Acme | Status
  header: Acme status
  description: Live status of Acme.
  logo: https://127.0.0.1:9/logo.png
  link: https://acme.example
  buttons:
    - name: Home
      link: https://acme.example
  custom-css: "body{}"
alerting:
  slack:
    webhook-url: "http://127.0.0.1:9/slack/T0/B0/literal-secret"
  pagerduty:
    integration-key: "\${PD_KEY}"
  email:
    from: gatus@example.com
    username: alerts
    password: mail-secret
    host: 127.0.0.1
    port: 2525
    to: ops@example.com,dev@example.com
  custom:
    url: http://127.0.0.1:9/custom
    method: POST
    body: '{"text":"[ALERT_DESCRIPTION]"}'
    headers:
      Authorization: Bearer custom-secret
  telegram:
    token: "123:abc"
    id: "42"
maintenance:
  start: "23:00"
  duration: 1h
  timezone: Europe/Amsterdam
  every: [Monday, Thursday]
endpoints:
  - name: api
    group: core
    url: "https://127.0.0.1:8443/health"
    interval: 1m
    headers:
      Authorization: "Bearer $API_TOKEN"
    conditions:
      - "[STATUS] == 200"
      - "[RESPONSE_TIME] < 300"
      - "[BODY].status == UP"
      - "[CERTIFICATE_EXPIRATION] > 48h"
    alerts:
      - type: slack
        failure-threshold: 3
        send-on-resolved: true
      - type: pagerduty
        failure-threshold: 3
        send-on-resolved: true
      - type: telegram
  - name: search
    group: core
    url: "\${API_BASE}/search?q=x"
    method: POST
    body: '{"q":"x"}'
    interval: 30s
    client:
      timeout: 5s
      insecure: true
    conditions:
      - "[STATUS] == any(200, 201)"
      - "[BODY] == pat(*results*)"
      - "[BODY].data[0].id == 3"
      - "[BODY].name == pat(john*)"
      - "[STATUS] != 500"
    maintenance-windows:
      - start: "02:00"
        duration: 30m
        every: [Sunday]
  - name: lists
    url: "http://127.0.0.1:9/lists"
    headers:
      X-Api-Key: lists-key-secret
      Accept: application/json
    conditions:
      - "len([BODY].items) > 0"
      - "has([BODY].version) == true"
      - "has([BODY].errors) == false"
      - "len([BODY].name) == 3"
      - "[IP] == 127.0.0.1"
      - "[DOMAIN_EXPIRATION] > 720h"
      - "[BODY].count >= 5"
    ui:
      hide-hostname: true
  - name: database
    group: infra
    url: "tcp://127.0.0.1:5432"
    interval: 2m
    conditions:
      - "[CONNECTED] == true"
      - "[RESPONSE_TIME] < 1s"
  - name: resolver
    group: infra
    url: "127.0.0.1:5399"
    dns:
      query-name: example.localhost
      query-type: A
    conditions:
      - "[DNS_RCODE] == NOERROR"
      - "[BODY] == 127.0.0.1"
  - name: certificate
    group: infra
    url: "tls://127.0.0.1:8443"
    conditions:
      - "[CERTIFICATE_EXPIRATION] > 720h"
  - name: ping
    group: infra
    url: "icmp://127.0.0.1"
    conditions: ["[CONNECTED] == true", "[RESPONSE_TIME] < 100"]
  - name: ssh
    group: infra
    url: "ssh://127.0.0.1:2222"
    ssh:
      username: monitor
      password: ssh-secret
    body: '{"command": "systemctl is-active app"}'
    conditions: ["[CONNECTED] == true", "[STATUS] == 0"]
  - name: ssh banner
    url: "ssh://127.0.0.1"
    conditions: ["[CONNECTED] == true"]
  - name: udp
    url: "udp://127.0.0.1:53"
    conditions: ["[CONNECTED] == true"]
  - name: game udp
    url: "udp://127.0.0.1:27015"
    conditions: ["[CONNECTED] == true"]
  - name: mail
    url: "starttls://127.0.0.1:587"
    client:
      insecure: true
    conditions: ["[CONNECTED] == true", "[CERTIFICATE_EXPIRATION] > 48h"]
  - name: socket
    url: "wss://127.0.0.1:9/ws"
    headers:
      Authorization: Bearer ws-secret
    body: status
    conditions: ["[CONNECTED] == true", "[BODY].result >= 0"]
  - name: health
    url: "grpc://127.0.0.1:50051"
    conditions: ["[CONNECTED] == true", "[BODY].status == SERVING"]
  - name: secure health
    url: "grpcs://127.0.0.1:50443"
    client:
      insecure: true
    conditions: ["[BODY].status == SERVING"]
  - name: old
    enabled: false
    url: "http://127.0.0.1:9/old"
    conditions: ["[STATUS] == 200"]
external-endpoints:
  - name: backup
    group: jobs
    token: "${EXTERNAL_TOKEN}"
    heartbeat:
      interval: 1h
    alerts:
      - type: custom
  - name: deploys
    group: jobs
    token: short
`;

/** Endpoints that get stored history: `[group, name]`. */
export const HISTORY_ENDPOINTS: [string, string][] = [['core', 'api'], ['core', 'search'], ['infra', 'database']];

/** The rows Gatus's SQL store holds for HISTORY_ENDPOINTS (endpoint ids 1, 2, 3); times are epoch ms. */
export interface GatusStorageRows {
  endpoints: { id: number; key: string; name: string; group: string }[];
  uptimes: { endpointId: number; hourUnix: number; total: number; ok: number; responseTime: number }[];
  results: { endpointId: number; ok: boolean; status: number; errors: string; durationNs: number; at: number }[];
}

/** Builds the rows: one execution per minute for 30 days, outcomes from a seeded PRNG. */
export function gatusStorageRows(): GatusStorageRows {
  const random = seededRandom(19);
  const rows: GatusStorageRows = { endpoints: [], uptimes: [], results: [] };
  HISTORY_ENDPOINTS.forEach(([group, name], index) => {
    const id = index + 1;
    rows.endpoints.push({ id, key: `${group}_${name}`, name, group });
    const start = GATUS_NOW - 30 * 86_400_000;
    const buckets = new Map<number, { total: number; ok: number; time: number }>();
    for (let at = start; at < GATUS_NOW; at += 60_000) {
      const ok = random() > 0.015;
      const ms = Math.round(40 + random() * 160);
      // hourly rows for the last 48 h, daily rows before (Gatus merges them)
      const key = at >= GATUS_NOW - 48 * 3_600_000 ? Math.floor(at / 3_600_000) * 3600 : Math.floor(at / 86_400_000) * 86_400;
      const b = buckets.get(key) ?? { total: 0, ok: 0, time: 0 };
      b.total++;
      b.ok += ok ? 1 : 0;
      b.time += ms;
      buckets.set(key, b);
      if (at >= GATUS_NOW - 100 * 60_000) {
        rows.results.push({ endpointId: id, ok, status: ok ? 200 : 503, errors: ok ? '' : 'condition [STATUS] == 200 failed|~|context deadline exceeded', durationNs: ms * 1e6, at });
      }
    }
    for (const [key, b] of buckets) rows.uptimes.push({ endpointId: id, hourUnix: key, total: b.total, ok: b.ok, responseTime: b.time });
  });
  return rows;
}

/** Writes the Gatus SQLite storage file (Gatus's storage/store/sql SQLite schema). */
export function createGatusStorage(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = MEMORY');
  db.exec(`
    CREATE TABLE endpoints (endpoint_id INTEGER PRIMARY KEY, endpoint_key TEXT UNIQUE, endpoint_name TEXT, endpoint_group TEXT, UNIQUE(endpoint_name, endpoint_group));
    CREATE TABLE endpoint_events (endpoint_event_id INTEGER PRIMARY KEY, endpoint_id INTEGER REFERENCES endpoints(endpoint_id) ON DELETE CASCADE, event_type TEXT, event_timestamp TIMESTAMP);
    CREATE TABLE endpoint_results (endpoint_result_id INTEGER PRIMARY KEY, endpoint_id INTEGER REFERENCES endpoints(endpoint_id) ON DELETE CASCADE, success INTEGER, errors TEXT, connected INTEGER, status INTEGER, dns_rcode TEXT, certificate_expiration INTEGER, domain_expiration INTEGER, hostname TEXT, ip TEXT, duration INTEGER, timestamp TIMESTAMP);
    CREATE TABLE endpoint_result_conditions (endpoint_result_condition_id INTEGER PRIMARY KEY, endpoint_result_id INTEGER REFERENCES endpoint_results(endpoint_result_id) ON DELETE CASCADE, condition TEXT, success INTEGER);
    CREATE TABLE endpoint_uptimes (endpoint_uptime_id INTEGER PRIMARY KEY, endpoint_id INTEGER REFERENCES endpoints(endpoint_id) ON DELETE CASCADE, hour_unix_timestamp INTEGER, total_executions INTEGER, successful_executions INTEGER, total_response_time INTEGER, UNIQUE(endpoint_id, hour_unix_timestamp));
  `);
  const rows = gatusStorageRows();
  db.transaction(() => {
    for (const e of rows.endpoints) db.prepare('INSERT INTO endpoints (endpoint_id, endpoint_key, endpoint_name, endpoint_group) VALUES (?, ?, ?, ?)').run(e.id, e.key, e.name, e.group);
    const uptime = db.prepare('INSERT INTO endpoint_uptimes (endpoint_id, hour_unix_timestamp, total_executions, successful_executions, total_response_time) VALUES (?, ?, ?, ?, ?)');
    for (const u of rows.uptimes) uptime.run(u.endpointId, u.hourUnix, u.total, u.ok, u.responseTime);
    const result = db.prepare("INSERT INTO endpoint_results (endpoint_id, success, errors, connected, status, dns_rcode, certificate_expiration, domain_expiration, hostname, ip, duration, timestamp) VALUES (?, ?, ?, 1, ?, '', 0, 0, '127.0.0.1', '127.0.0.1', ?, ?)");
    for (const r of rows.results) result.run(r.endpointId, r.ok ? 1 : 0, r.errors, r.status, r.durationNs, new Date(r.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '+00:00'));
  })();
  db.close();
}
