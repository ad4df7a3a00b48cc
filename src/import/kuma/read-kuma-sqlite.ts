/**
 * Reads an Uptime Kuma SQLite database (1.23 or 2.x) into a `KumaSnapshot`, read-only. The two
 * versions share the tables the importer reads; 2.x is recognised by its `stat_daily` table.
 * Columns added by later versions are optional: a missing one reads as absent.
 * @module
 */
import Database from 'better-sqlite3';
import { ImportInputError } from '../import-input-error.ts';
import { kumaFlag, readSharedMonitorFields } from './kuma-monitor-fields.ts';
import { kumaNumber, kumaText, kumaTime, type KumaMaintenance, type KumaMonitor, type KumaSnapshot, type KumaStatusPage } from './kuma-model.ts';

type Row = Record<string, unknown>;
/** The slice of better-sqlite3 the reader uses. */
export type KumaDatabase = Pick<Database.Database, 'prepare' | 'close'>;

/** Opens a Kuma database read-only; throws ImportInputError naming the file when it is not one. */
export function openKumaDatabase(file: string): KumaDatabase {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1').get();
  } catch (cause) {
    throw new ImportInputError(file, `cannot open as SQLite: ${(cause as Error).message}`, { cause });
  }
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
  for (const table of ['monitor', 'heartbeat', 'notification']) {
    if (!tables.has(table)) {
      db.close();
      throw new ImportInputError(file, `not an Uptime Kuma database: table "${table}" is missing`);
    }
  }
  return db;
}

/** True when the database has 2.x's aggregate tables. */
function isKumaV2(db: KumaDatabase): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stat_daily'`).get() !== undefined;
}

function all(db: KumaDatabase, sql: string): Row[] {
  try {
    return db.prepare(sql).all() as Row[];
  } catch {
    return []; // a table this version does not have
  }
}

function json<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

/** Reads everything the config mapping needs. */
export function readKumaSqlite(db: KumaDatabase): KumaSnapshot {
  const links = (sql: string) => {
    const map = new Map<number, number[]>();
    for (const row of all(db, sql)) {
      const [a, b] = [Number(row.a), Number(row.b)];
      map.set(a, [...(map.get(a) ?? []), b]);
    }
    return map;
  };
  const notificationsOf = links('SELECT monitor_id AS a, notification_id AS b FROM monitor_notification ORDER BY id');
  const tags = new Map<number, { name: string; value?: string }[]>();
  for (const row of all(db, 'SELECT mt.monitor_id, mt.value, t.name FROM monitor_tag mt JOIN tag t ON t.id = mt.tag_id ORDER BY mt.id')) {
    const id = Number(row.monitor_id);
    tags.set(id, [...(tags.get(id) ?? []), { name: String(row.name), ...(kumaText(row.value) ? { value: String(row.value) } : {}) }]);
  }

  const monitors: KumaMonitor[] = all(db, 'SELECT * FROM monitor ORDER BY id').map((row) => ({
    id: Number(row.id),
    name: kumaText(row.name) ?? `monitor ${row.id}`,
    type: kumaText(row.type) ?? 'http',
    active: kumaFlag(row.active),
    ...readSharedMonitorFields(row, 'sqlite'),
    acceptedStatuscodes: json<string[]>(row.accepted_statuscodes_json, ['200-299']),
    expectedValue: typeof row.expected_value === 'string' ? row.expected_value : undefined,
    notificationIds: notificationsOf.get(Number(row.id)) ?? [],
    tags: tags.get(Number(row.id)) ?? [],
  }));

  const notifications = all(db, 'SELECT * FROM notification ORDER BY id').map((row) => ({
    id: Number(row.id),
    name: kumaText(row.name) ?? `notification ${row.id}`,
    active: kumaFlag(row.active),
    isDefault: kumaFlag(row.is_default),
    config: json<Record<string, unknown>>(row.config, {}),
  }));

  const monitorsOfGroup = links('SELECT group_id AS a, monitor_id AS b FROM monitor_group ORDER BY weight, id');
  const domains = links('SELECT status_page_id AS a, id AS b FROM status_page_cname');
  const domainNames = new Map(all(db, 'SELECT id, domain FROM status_page_cname').map((r) => [Number(r.id), String(r.domain)]));
  const groups = all(db, 'SELECT * FROM "group" WHERE status_page_id IS NOT NULL ORDER BY weight, id');
  const statusPages: KumaStatusPage[] = all(db, 'SELECT * FROM status_page ORDER BY id').map((row) => ({
    id: Number(row.id),
    slug: String(row.slug),
    title: kumaText(row.title) ?? String(row.slug),
    description: kumaText(row.description),
    footerText: kumaText(row.footer_text),
    icon: kumaText(row.icon),
    customCss: kumaText(row.custom_css),
    password: kumaText(row.password),
    showTags: kumaFlag(row.show_tags),
    showCertificateExpiry: kumaFlag(row.show_certificate_expiry),
    domains: (domains.get(Number(row.id)) ?? []).map((id) => domainNames.get(id)!).filter(Boolean),
    groups: groups
      .filter((g) => Number(g.status_page_id) === Number(row.id))
      .map((g) => ({ id: Number(g.id), name: kumaText(g.name) ?? 'Services', monitorIds: monitorsOfGroup.get(Number(g.id)) ?? [] })),
  }));

  const incidents = all(db, 'SELECT * FROM incident ORDER BY id').map((row) => ({
    id: Number(row.id),
    title: kumaText(row.title) ?? `Incident ${row.id}`,
    content: typeof row.content === 'string' ? row.content : '',
    style: kumaText(row.style) ?? 'warning',
    createdDate: kumaTime(row.created_date),
    lastUpdatedDate: row.last_updated_date == null ? undefined : kumaTime(row.last_updated_date),
    pin: kumaFlag(row.pin),
    statusPageId: row.status_page_id == null ? undefined : Number(row.status_page_id),
  }));

  const maintenanceMonitors = links('SELECT maintenance_id AS a, monitor_id AS b FROM monitor_maintenance ORDER BY id');
  const maintenancePages = links('SELECT maintenance_id AS a, status_page_id AS b FROM maintenance_status_page ORDER BY id');
  const maintenance: KumaMaintenance[] = all(db, 'SELECT * FROM maintenance ORDER BY id').map((row) => ({
    id: Number(row.id),
    title: kumaText(row.title) ?? `Maintenance ${row.id}`,
    description: kumaText(row.description),
    active: kumaFlag(row.active),
    strategy: kumaText(row.strategy) ?? 'single',
    startDate: kumaText(row.start_date),
    endDate: kumaText(row.end_date),
    startTime: kumaText(row.start_time),
    endTime: kumaText(row.end_time),
    weekdays: json<number[]>(row.weekdays, []),
    daysOfMonth: json<(number | string)[]>(row.days_of_month, []),
    intervalDay: row.interval_day == null ? undefined : kumaNumber(row.interval_day),
    cron: kumaText(row.cron),
    duration: row.duration == null ? undefined : kumaNumber(row.duration),
    timezone: kumaText(row.timezone),
    monitorIds: maintenanceMonitors.get(Number(row.id)) ?? [],
    statusPageIds: maintenancePages.get(Number(row.id)) ?? [],
  }));

  return { format: isKumaV2(db) ? '2' : '1', monitors, notifications, statusPages, incidents, maintenance };
}
