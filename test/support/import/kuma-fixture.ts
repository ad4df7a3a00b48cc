/**
 * Builds Uptime Kuma fixtures: a 1.23- or 2.x-schema SQLite database with 44 monitors of every
 * type, 90 days of heartbeats (one per hour per monitor — Kuma beats every 20–60 s; the wide spacing
 * keeps the files and the test fast on a shared machine, and uptime ratios do not depend on it), a status page with
 * groups and a custom domain, incidents, maintenance and notifications; and a 1.x JSON backup of
 * the same monitors. Every host and URL points at 127.0.0.1, so serving the imported config
 * never reaches the network. Deterministic (seeded PRNG).
 * @module
 */
import Database from 'better-sqlite3';
import { KUMA_COMMON_DDL, KUMA_V2_DDL } from './kuma-schema.ts';
import { seededRandom } from '../seeded-random.ts';

export const KUMA_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const BEAT_SPACING_MS = 60 * 60_000;
const DAYS = 90;

/** A token long enough for Upstate (kept), and one too short (replaced). */
export const PUSH_TOKEN = 'kumaPushToken0123456789abcdefXYZ';
export const SLACK_URL = 'http://127.0.0.1:9/slack/T000/B000/secret';

type Monitor = Record<string, unknown> & { id: number; name: string; type: string };

/** 44 monitors: every Kuma type, plus the edge cases the mapping must handle. */
export const KUMA_MONITORS: Monitor[] = [
  { id: 1, name: 'Backend', type: 'group' },
  { id: 2, name: 'Edge', type: 'group' },
  { id: 3, name: 'API', type: 'http', parent: 1, url: 'https://127.0.0.1:8443/health', interval: 60, retry_interval: 30, maxretries: 2, timeout: 48, accepted_statuscodes_json: '["200-299","304"]', headers: '{"Authorization":"Bearer api-secret-token","Accept":"application/json"}', description: 'Public API', expiry_notification: 1, resend_interval: 10 },
  { id: 4, name: 'Orders POST', type: 'http', parent: 1, url: 'http://127.0.0.1:9/orders', method: 'POST', body: '{"ping":true}', http_body_encoding: 'json', basic_auth_user: 'probe', basic_auth_pass: 'basic-secret', auth_method: 'basic', ignore_tls: 1, maxredirects: 0, interval: 120 },
  { id: 5, name: 'Admin with URL credentials', type: 'http', url: 'http://admin:url-secret@127.0.0.1:9/admin', interval: 300 },
  { id: 6, name: 'Homepage', type: 'keyword', url: 'http://127.0.0.1:9/', keyword: 'Welcome', interval: 60 },
  { id: 7, name: 'No errors', type: 'keyword', url: 'http://127.0.0.1:9/log', keyword: 'ERROR', invert_keyword: 1, interval: 60 },
  { id: 8, name: 'Status JSON', type: 'json-query', url: 'http://127.0.0.1:9/status', json_path: 'status', expected_value: 'UP', interval: 60 },
  { id: 9, name: 'Price sum', type: 'json-query', url: 'http://127.0.0.1:9/prices', json_path: '$sum(items.price)', expected_value: '100', interval: 60 },
  { id: 10, name: 'Queue depth', type: 'json-query', url: 'http://127.0.0.1:9/queue', json_path: 'data.count', expected_value: '5', json_path_operator: '<', interval: 60 },
  { id: 11, name: 'Database port', type: 'port', parent: 1, hostname: '127.0.0.1', port: 5432, interval: 60 },
  { id: 12, name: 'SMTP port', type: 'port', hostname: '127.0.0.1', port: 2525, interval: 60 },
  { id: 13, name: 'Gateway ping', type: 'ping', parent: 2, hostname: '127.0.0.1', packet_size: 56, interval: 60 },
  { id: 14, name: 'DNS apex', type: 'dns', parent: 2, hostname: 'example.localhost', dns_resolve_type: 'A', dns_resolve_server: '127.0.0.1', port: 5399, interval: 300 },
  { id: 15, name: 'DNS mail', type: 'dns', hostname: 'example.localhost', dns_resolve_type: 'MX', dns_resolve_server: '127.0.0.1', port: 53, interval: 300 },
  { id: 16, name: 'DNS service', type: 'dns', hostname: '_sip._tcp.example.localhost', dns_resolve_type: 'SRV', dns_resolve_server: '127.0.0.1', interval: 300 },
  { id: 17, name: 'Nightly backup', type: 'push', push_token: PUSH_TOKEN, interval: 86400, maxretries: 1, retry_interval: 1800 },
  { id: 18, name: 'Hourly job', type: 'push', push_token: 'shorttok10', interval: 3600 },
  { id: 19, name: 'Web container', type: 'docker', docker_container: 'web', docker_host: null, interval: 60 },
  { id: 20, name: 'MySQL', type: 'mysql', database_connection_string: 'mysql://shop:mysql-secret@127.0.0.1:3306/shop', database_query: 'SELECT COUNT(*) FROM orders', interval: 60 },
  { id: 21, name: 'PostgreSQL', type: 'postgres', database_connection_string: 'postgres://monitor:pg%40secret@127.0.0.1:5432/app?sslmode=require&application_name=kuma', database_query: 'SELECT 1', interval: 60 },
  { id: 22, name: 'Redis', type: 'redis', database_connection_string: 'rediss://default:redis-secret@127.0.0.1:6380/2', ignore_tls: 1, interval: 60 },
  { id: 23, name: 'gRPC health', type: 'grpc-keyword', grpc_url: '127.0.0.1:50051', grpc_service_name: 'grpc.health.v1.Health', grpc_method: 'Check', grpc_body: '{"service":"orders"}', grpc_metadata: '{"Authorization":"Bearer grpc-secret","X-Team":"core"}', grpc_enable_tls: 1, keyword: 'SERVING', interval: 60 },
  { id: 24, name: 'MongoDB', type: 'mongodb', database_connection_string: 'mongodb://127.0.0.1:27017', interval: 60 },
  { id: 25, name: 'MQTT', type: 'mqtt', hostname: '127.0.0.1', port: 1883, mqtt_topic: 'health', interval: 60 },
  { id: 26, name: 'Checkout flow', type: 'real-browser', url: 'http://127.0.0.1:9/checkout', interval: 300 },
  { id: 27, name: 'Game server', type: 'steam', hostname: '127.0.0.1', port: 27015, interval: 60 },
  { id: 28, name: 'RADIUS', type: 'radius', hostname: '127.0.0.1', port: 1812, interval: 60 },
  { id: 29, name: 'SQL Server', type: 'sqlserver', database_connection_string: 'Server=127.0.0.1', interval: 60 },
  { id: 30, name: 'Kafka', type: 'kafka-producer', kafka_producer_brokers: '["127.0.0.1:9092"]', interval: 60 },
  { id: 31, name: 'Paused site', type: 'http', url: 'http://127.0.0.1:9/paused', active: 0, interval: 60 },
  { id: 32, name: 'Must be down', type: 'http', url: 'http://127.0.0.1:9/old', upside_down: 1, interval: 60 },
  { id: 33, name: 'API', type: 'http', url: 'http://127.0.0.1:9/api-v2', interval: 60 },
  { id: 34, name: 'Intranet', type: 'http', url: 'http://127.0.0.1:9/intranet', auth_method: 'ntlm', basic_auth_user: 'u', basic_auth_pass: 'p', interval: 60 },
  { id: 35, name: 'Tailnet', type: 'tailscale-ping', hostname: '127.0.0.1', interval: 60 },
  { id: 36, name: 'Minecraft', type: 'gamedig', game: 'minecraft', hostname: '127.0.0.1', port: 25565, interval: 60 },
  { id: 37, name: 'Orders gRPC', type: 'grpc-keyword', grpc_url: '127.0.0.1:50052', grpc_service_name: 'shop.Orders', grpc_method: 'List', grpc_body: '{}', keyword: 'id', interval: 60 },
  { id: 38, name: 'Checkout (remote browser)', type: 'real-browser', url: 'http://127.0.0.1:9/checkout', remote_browser: 1, interval: 300 },
  { id: 39, name: 'Live feed', type: 'websocket-upgrade', url: 'ws://127.0.0.1:9/feed', ws_subprotocol: 'v2.feed, json', accepted_statuscodes_json: '["1000"]', interval: 60 },
  { id: 40, name: 'Mail relay', type: 'smtp', hostname: '127.0.0.1', port: 587, smtp_security: 'starttls', interval: 300 },
  { id: 41, name: 'Plain SMTP', type: 'smtp', hostname: '127.0.0.1', port: 2526, smtp_security: 'nostarttls', interval: 300 },
  { id: 42, name: 'Core ping', type: 'ping', hostname: '127.0.0.1', packet_size: 120, ping_count: 3, ping_per_request_timeout: 2, interval: 60 },
  { id: 43, name: 'MySQL replica', type: 'mysql', database_connection_string: 'mysql://replica@127.0.0.1:3307/shop', radius_password: 'replica-secret', interval: 60 },
  { id: 44, name: 'Legacy Postgres', type: 'postgres', database_connection_string: 'host=127.0.0.1 user=app', interval: 60 },
];

/** Monitors that get heartbeats (every active non-group monitor). */
export const HISTORY_MONITORS = KUMA_MONITORS.filter((m) => m.type !== 'group' && m.active !== 0).map((m) => m.id);

export const KUMA_NOTIFICATIONS = [
  { id: 1, name: 'Ops Slack', config: { type: 'slack', slackwebhookURL: SLACK_URL, slackchannel: '#ops', slackusername: 'kuma', slackiconemo: ':rotating_light:' } },
  { id: 2, name: 'Discord', config: { type: 'discord', discordWebhookUrl: 'http://127.0.0.1:9/discord/123/abc', discordUsername: 'Kuma' } },
  { id: 3, name: 'Teams', config: { type: 'teams', webhookUrl: 'http://127.0.0.1:9/teams/hook' } },
  { id: 4, name: 'PagerDuty', config: { type: 'PagerDuty', pagerdutyIntegrationKey: 'pd-routing-key-123', pagerdutyIntegrationUrl: 'http://127.0.0.1:9/pd', pagerdutyPriority: 'P1' } },
  { id: 5, name: 'Mail', config: { type: 'smtp', smtpHost: '127.0.0.1', smtpPort: 2525, smtpSecure: false, smtpUsername: 'alerts', smtpPassword: 'smtp-secret', smtpFrom: 'kuma@example.com', smtpTo: 'ops@example.com, dev@example.com', smtpCC: 'boss@example.com' } },
  { id: 6, name: 'Hook', config: { type: 'webhook', webhookURL: 'http://127.0.0.1:9/hook', webhookContentType: 'json', webhookAdditionalHeaders: '{"X-Token":"hook-secret"}' } },
  { id: 7, name: 'Telegram', config: { type: 'telegram', telegramBotToken: '123:abc', telegramChatID: '42' } },
];

/** Heartbeat status for beat `i` of a monitor: mostly up, some down, pending and maintenance runs. */
function beatStatus(random: () => number): number {
  const r = random();
  if (r < 0.02) return 0;
  if (r < 0.025) return 2;
  if (r < 0.03) return 3;
  return 1;
}

const kumaDate = (at: number) => new Date(at).toISOString().replace('T', ' ').replace('Z', '');

/** Writes a Kuma database of the given major version to `file`. */
export function createKumaDatabase(file: string, version: '1' | '2'): void {
  const db = new Database(file);
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.exec(KUMA_COMMON_DDL);
  if (version === '2') db.exec(KUMA_V2_DDL);
  const columns = new Set((db.prepare('PRAGMA table_info(monitor)').all() as { name: string }[]).map((c) => c.name));
  db.transaction(() => {
    db.prepare(`INSERT INTO user (id, username, password) VALUES (1, 'admin', 'x')`).run();
    if (version === '2') db.prepare(`INSERT INTO remote_browser (id, name, url, user_id) VALUES (1, 'Browserless', 'ws://127.0.0.1:9/playwright', 1)`).run();
    for (const m of KUMA_MONITORS) {
      const row: Record<string, unknown> = { user_id: 1, active: 1, ...m };
      if (m.type === 'json-query' && version === '2' && !row.json_path_operator) row.json_path_operator = '==';
      if (version === '1') delete row.json_path_operator;
      const keys = Object.keys(row).filter((k) => columns.has(k));
      db.prepare(`INSERT INTO monitor (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(Object.fromEntries(keys.map((k) => [k, row[k]])));
    }
    for (const n of KUMA_NOTIFICATIONS) db.prepare('INSERT INTO notification (id, name, active, user_id, is_default, config) VALUES (?, ?, 1, 1, 0, ?)').run(n.id, n.name, JSON.stringify({ name: n.name, ...n.config }));
    const link = db.prepare('INSERT INTO monitor_notification (monitor_id, notification_id) VALUES (?, ?)');
    for (const [monitor, notification] of [[3, 1], [3, 5], [4, 1], [6, 4], [8, 7], [17, 6]]) link.run(monitor, notification);
    db.prepare(`INSERT INTO tag (id, name, color) VALUES (1, 'env', '#000')`).run();
    db.prepare(`INSERT INTO monitor_tag (monitor_id, tag_id, value) VALUES (3, 1, 'prod')`).run();

    db.prepare(`INSERT INTO status_page (id, slug, title, description, icon, theme, footer_text, custom_css, show_tags) VALUES (1, 'status', 'Acme status', 'Live status of Acme', '/upload/logo1.png', 'light', 'Times are UTC.', 'body{}', 1)`).run();
    db.prepare(`INSERT INTO status_page (id, slug, title, icon, theme) VALUES (2, 'internal', 'Internal', '/icon.svg', 'dark')`).run();
    db.prepare(`INSERT INTO status_page_cname (status_page_id, domain) VALUES (1, 'status.acme.example')`).run();
    db.prepare(`INSERT INTO "group" (id, name, public, weight, status_page_id) VALUES (1, 'Services', 1, 1, 1), (2, 'Infrastructure', 1, 2, 1), (3, 'Internal', 1, 1, 2)`).run();
    const member = db.prepare('INSERT INTO monitor_group (monitor_id, group_id, weight) VALUES (?, ?, ?)');
    [[6, 1, 1], [3, 1, 2], [8, 1, 3], [11, 2, 1], [14, 2, 2], [13, 2, 3], [12, 3, 1]].forEach(([m, g, w]) => member.run(m, g, w));

    db.prepare(`INSERT INTO incident (id, title, content, style, created_date, last_updated_date, pin, status_page_id) VALUES (1, 'API errors', 'We are investigating elevated errors.', 'danger', ?, ?, 1, 1)`).run(kumaDate(KUMA_NOW - 3_600_000), kumaDate(KUMA_NOW - 1_800_000));
    db.prepare(`INSERT INTO incident (id, title, content, style, created_date, last_updated_date, pin, status_page_id) VALUES (2, 'Slow checkout', 'Resolved.', 'warning', ?, ?, 0, 1)`).run(kumaDate(KUMA_NOW - 10 * 86_400_000), kumaDate(KUMA_NOW - 9 * 86_400_000));

    const maintenance = db.prepare(`INSERT INTO maintenance (id, title, description, user_id, active, strategy, start_date, end_date, start_time, end_time, weekdays, days_of_month, interval_day, cron, timezone, duration) VALUES (@id, @title, @description, 1, @active, @strategy, @start_date, @end_date, @start_time, @end_time, @weekdays, @days_of_month, @interval_day, @cron, @timezone, @duration)`);
    const base = { description: '', active: 1, start_date: null, end_date: null, start_time: null, end_time: null, weekdays: '[]', days_of_month: '[]', interval_day: null, cron: null, timezone: null, duration: null };
    maintenance.run({ ...base, id: 1, title: 'Database upgrade', description: 'Moving to a new version.', strategy: 'single', start_date: '2026-02-01 22:00:00', end_date: '2026-02-02 01:00:00', timezone: 'Europe/Berlin' });
    maintenance.run({ ...base, id: 2, title: 'Weekly patching', strategy: 'recurring-weekday', start_time: '03:00', end_time: '04:30', weekdays: '[1,7]', timezone: 'UTC' });
    maintenance.run({ ...base, id: 3, title: 'Nightly reindex', strategy: 'cron', cron: '30 2 * * *', duration: 45, timezone: 'America/New_York' });
    maintenance.run({ ...base, id: 4, title: 'Manual switch', strategy: 'manual' });
    maintenance.run({ ...base, id: 5, title: 'Every third day', strategy: 'recurring-interval', interval_day: 3, start_time: '01:00', end_time: '02:00' });
    maintenance.run({ ...base, id: 6, title: 'Docker host reboot', strategy: 'single', start_date: '2026-03-01 10:00:00', end_date: '2026-03-01 11:00:00', timezone: 'UTC' });
    maintenance.run({ ...base, id: 7, title: 'Month start', strategy: 'recurring-day-of-month', start_time: '23:00', end_time: '01:00', days_of_month: '[1,"lastDay1"]', timezone: 'UTC' });
    const target = db.prepare('INSERT INTO monitor_maintenance (monitor_id, maintenance_id) VALUES (?, ?)');
    [[11, 1], [21, 1], [3, 2], [6, 3], [3, 4], [3, 5], [19, 6], [12, 7]].forEach(([m, w]) => target.run(m, w));
    db.prepare('INSERT INTO maintenance_status_page (status_page_id, maintenance_id) VALUES (1, 2)').run();

    const random = seededRandom(version === '2' ? 2 : 1);
    const beat = db.prepare('INSERT INTO heartbeat (monitor_id, status, msg, time, ping, duration, important) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const start = KUMA_NOW - DAYS * 86_400_000;
    for (const id of HISTORY_MONITORS) {
      let previous = -1;
      for (let at = start + (id * 7_000) % BEAT_SPACING_MS; at < KUMA_NOW; at += BEAT_SPACING_MS) {
        const status = beatStatus(random);
        const msg = status === 0 ? ['connect ECONNREFUSED 127.0.0.1:9', 'timeout of 48000ms exceeded', 'Request failed with status code 503'][Math.floor(random() * 3)] : status === 2 ? 'retrying' : status === 3 ? 'Maintenance' : '';
        beat.run(id, status, msg, kumaDate(at), status === 1 ? Math.round(20 + random() * 200) : null, BEAT_SPACING_MS / 1000, status !== previous ? 1 : 0);
        previous = status;
      }
    }
    if (version === '2') {
      // stat_daily as Kuma 2.x's UptimeCalculator keeps it: UP/MAINTENANCE count up, DOWN/PENDING down
      db.exec(`INSERT INTO stat_daily (monitor_id, timestamp, ping, up, down)
        SELECT monitor_id, (CAST(strftime('%s', time) AS INTEGER) / 86400) * 86400 AS day, COALESCE(AVG(ping), 0),
               SUM(CASE WHEN status IN (1, 3) THEN 1 ELSE 0 END), SUM(CASE WHEN status IN (0, 2) THEN 1 ELSE 0 END)
        FROM heartbeat GROUP BY monitor_id, day`);
    }
  })();
  db.close();
}

/** A Kuma 1.x JSON backup of the same monitors and notifications. */
export function kumaBackupJson(): string {
  const monitorList = KUMA_MONITORS.map((m) => ({
    id: m.id, name: m.name, type: m.type, url: m.url, method: m.method ?? 'GET', hostname: m.hostname, port: m.port,
    maxretries: m.maxretries ?? 0, weight: 2000, active: m.active ?? 1, interval: m.interval ?? 60, retryInterval: m.retry_interval ?? 0,
    resendInterval: m.resend_interval ?? 0, keyword: m.keyword, invertKeyword: Boolean(m.invert_keyword), expiryNotification: Boolean(m.expiry_notification),
    ignoreTls: Boolean(m.ignore_tls), upsideDown: Boolean(m.upside_down), maxredirects: m.maxredirects ?? 10,
    accepted_statuscodes: JSON.parse(String(m.accepted_statuscodes_json ?? '["200-299"]')), dns_resolve_type: m.dns_resolve_type, dns_resolve_server: m.dns_resolve_server,
    parent: m.parent ?? null, description: m.description ?? null, timeout: m.timeout ?? 0, jsonPath: m.json_path, expectedValue: m.expected_value,
    headers: m.headers ?? null, body: m.body ?? null, basic_auth_user: m.basic_auth_user ?? null, basic_auth_pass: m.basic_auth_pass ?? null,
    authMethod: m.auth_method ?? null, pushToken: m.push_token ?? null, httpBodyEncoding: m.http_body_encoding ?? null,
    databaseConnectionString: m.database_connection_string ?? null, databaseQuery: m.database_query ?? null, radiusPassword: m.radius_password ?? null,
    grpcUrl: m.grpc_url ?? null, grpcServiceName: m.grpc_service_name ?? null, grpcMethod: m.grpc_method ?? null, grpcBody: m.grpc_body ?? null,
    grpcMetadata: m.grpc_metadata ?? null, grpcEnableTls: Boolean(m.grpc_enable_tls), packetSize: m.packet_size ?? 56,
    notificationIDList: m.id === 3 ? { 1: true, 5: true } : {}, tags: [],
  }));
  const notificationList = KUMA_NOTIFICATIONS.map((n) => ({ id: n.id, name: n.name, active: 1, userId: 1, isDefault: 0, config: JSON.stringify({ name: n.name, ...n.config }) }));
  return JSON.stringify({ version: '1.23.16', notificationList, monitorList }, null, 2);
}
