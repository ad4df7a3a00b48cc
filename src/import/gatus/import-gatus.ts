/**
 * Gatus config → import plan: endpoints (with conditions), external endpoints (as heartbeat
 * checks), alerting providers and per-endpoint alerts, maintenance windows, and UI settings.
 * @module
 */
import { parseDocument } from 'yaml';
import { formatDuration } from '../../kernel/parse-duration.ts';
import { HEARTBEAT_TOKEN_MAX_LENGTH, HEARTBEAT_TOKEN_MIN_LENGTH, HEARTBEAT_TOKEN_PATTERN } from '../../probes/heartbeat/heartbeat-token.ts';
import { ImportInputError } from '../import-input-error.ts';
import type { ImportPlan, KeyedPlanItem, PlanItem } from '../import-plan.ts';
import { createReport, recordMapped, recordSkipped } from '../import-report.ts';
import { createNameAllocator, isHttpUrl } from '../mapping-helpers.ts';
import { createSecretBook } from '../secret-book.ts';
import { gatusKindMapper, type Loose } from './gatus-endpoint-kinds.ts';
import { mapGatusProvider } from './map-gatus-alerting.ts';
import { parseGoDuration, secretValue } from './gatus-values.ts';
import { translateGatusCondition } from './translate-gatus-condition.ts';

export interface GatusImport {
  plan: ImportPlan;
  /** `group/name` of each Gatus endpoint → Upstate check name. */
  checkNames: Map<string, string>;
  /** The `storage:` section (type and path), for history. */
  storage?: { type: string; path?: string };
}

const DAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };

/** The endpoint's identity in Gatus storage. */
export const gatusKey = (group: string, name: string) => `${group}/${name}`;

/** Parses the YAML text; throws ImportInputError naming file and line on syntax errors. */
export function parseGatusConfig(text: string, file: string): Loose {
  // Gatus's own YAML parser honours `<<` merge keys, which configs use for shared endpoint defaults
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length) {
    const error = doc.errors[0];
    throw new ImportInputError(file, `line ${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0]}`);
  }
  const value = doc.toJS() as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ImportInputError(file, 'not a Gatus config: expected a mapping at the top');
  const config = value as Loose;
  if (!Array.isArray(config.endpoints) && !Array.isArray(config['external-endpoints'])) {
    throw new ImportInputError(file, 'not a Gatus config: neither "endpoints" nor "external-endpoints" is a list');
  }
  return config;
}

export function importGatus(config: Loose, source: string): GatusImport {
  const report = createReport();
  const secrets = createSecretBook('GATUS');
  const allocate = createNameAllocator();
  const checkNames = new Map<string, string>();
  const checks: PlanItem[] = [];
  const alertChecks: KeyedPlanItem[] = [];
  const maintenance: PlanItem[] = [];

  // channels: one per provider, named after its type (what endpoint alerts refer to)
  const notifiers: KeyedPlanItem[] = [];
  const channels = new Set<string>();
  for (const [type, provider] of Object.entries((config.alerting ?? {}) as Loose)) {
    const mapped = mapGatusProvider(type, (provider ?? {}) as Loose, secrets);
    if ('skip' in mapped) {
      recordSkipped(report, 'alerting provider', type, [mapped.skip]);
      notifiers.push({ key: type, comments: [`alerting.${type} not imported: ${mapped.skip}`] });
      continue;
    }
    channels.add(type);
    recordMapped(report, 'alerting provider', type, mapped.dropped);
    notifiers.push({ key: type, value: mapped.config, comments: [`from alerting.${type}`, ...mapped.dropped.map((d) => `dropped: ${d}`)] });
  }

  const endpoints = (Array.isArray(config.endpoints) ? config.endpoints : []) as Loose[];
  for (const [index, e] of endpoints.entries()) {
    const label = String(e.name ?? `endpoints[${index}]`);
    const group = typeof e.group === 'string' && e.group.trim() ? e.group.trim() : undefined;
    const skip = (reason: string) => {
      recordSkipped(report, 'endpoint', label, [reason]);
      checks.push({ comments: [`skipped endpoint "${label}": ${reason}`] });
    };
    if (e.enabled === false) {
      skip('disabled in Gatus');
      continue;
    }
    const { mapper, url } = gatusKindMapper(e);
    const mapped = mapper(e, url, secrets);
    if ('skip' in mapped) {
      skip(mapped.skip);
      continue;
    }
    const name = allocate(label);
    const dropped = [...mapped.dropped];
    const value: Record<string, unknown> = { name };
    if (group) value.group = group;
    const interval = parseGoDuration(e.interval ?? '60s') ?? 60_000;
    value.interval = formatDuration(interval);
    const timeout = parseGoDuration(((e.client ?? {}) as Loose).timeout ?? '10s') ?? 10_000;
    value.timeout = formatDuration(Math.min(timeout, interval));
    const conditions: string[] = [];
    const fieldComments: Record<string, string[]> = {};
    const conditionNotes: string[] = [];
    for (const raw of (Array.isArray(e.conditions) ? e.conditions : []) as unknown[]) {
      const t = translateGatusCondition(String(raw), mapped.kind);
      if ('problem' in t) {
        dropped.push(`condition ${JSON.stringify(String(raw))}: ${t.problem}`);
        continue;
      }
      conditions.push(t.condition);
      if (t.note) conditionNotes.push(`${t.condition}: from ${String(raw)} — ${t.note}`);
      const rcode = /^dns\.rcode == ([A-Z]+)$/.exec(t.condition);
      if (rcode && mapped.kind === 'dns') mapped.config.rcode = rcode[1];
      // Upstate's ssh check fails on any exit status but the expected one (0 by default)
      const exit = /^exitCode == (\d+)$/.exec(t.condition);
      if (exit && mapped.kind === 'ssh' && mapped.config.command !== undefined && Number(exit[1]) !== 0) mapped.config.expectExitCode = Number(exit[1]);
    }
    if (conditionNotes.length) fieldComments.conditions = conditionNotes;
    if (conditions.length) value.conditions = conditions;
    value[mapped.kind] = mapped.config;
    const ui = (e.ui ?? {}) as Loose;
    if (Object.keys(ui).length) dropped.push(`ui settings (${Object.keys(ui).join(', ')}): Upstate never shows targets publicly`);
    for (const key of ['extra-labels', 'provider-override']) if (e[key] !== undefined) dropped.push(`${key}`);
    checks.push({ value, comments: [`from endpoint "${label}"${group ? ` in group "${group}"` : ''}`, ...dropped.map((d) => `dropped: ${d}`)], fieldComments });
    checkNames.set(gatusKey(group ?? '', label), name);
    recordMapped(report, 'endpoint', label, dropped);
    addAlerts(e, name, channels, alertChecks, report, label);
    for (const [i, w] of ((Array.isArray(e['maintenance-windows']) ? e['maintenance-windows'] : []) as Loose[]).entries()) {
      maintenance.push(maintenanceWindow(w, `${name} maintenance ${i + 1}`, [name], report));
    }
  }

  for (const [index, e] of ((Array.isArray(config['external-endpoints']) ? config['external-endpoints'] : []) as Loose[]).entries()) {
    const label = String(e.name ?? `external-endpoints[${index}]`);
    const group = typeof e.group === 'string' && e.group.trim() ? e.group.trim() : undefined;
    if (e.enabled === false) {
      recordSkipped(report, 'external endpoint', label, ['disabled in Gatus']);
      checks.push({ comments: [`skipped external endpoint "${label}": disabled in Gatus`] });
      continue;
    }
    const name = allocate(label);
    const dropped: string[] = [];
    const fieldComments: Record<string, string[]> = {};
    const period = parseGoDuration(((e.heartbeat ?? {}) as Loose).interval);
    const heartbeat: Record<string, unknown> = { period: formatDuration(period ?? 3_600_000) };
    if (!period) dropped.push('no heartbeat interval in Gatus (results were never expected); period 1h chosen');
    const token = typeof e.token === 'string' ? e.token : '';
    if (token && (/\$/.test(token) || (token.length >= HEARTBEAT_TOKEN_MIN_LENGTH && token.length <= HEARTBEAT_TOKEN_MAX_LENGTH && HEARTBEAT_TOKEN_PATTERN.test(token)))) {
      heartbeat.token = secretValue(token, [name, 'push token'], secrets);
      fieldComments['heartbeat.token'] = ['same token: the job now calls <publicUrl>/api/v1/push/<token> (add ?status=fail on failure) instead of Gatus\'s /api/v1/endpoints/<key>/external'];
    } else dropped.push(`token is not usable as an Upstate push token (at least ${HEARTBEAT_TOKEN_MIN_LENGTH} URL-safe characters); Upstate logs a new push URL at start`);
    const value: Record<string, unknown> = { name, ...(group ? { group } : {}), heartbeat };
    checks.push({ value, comments: [`from external endpoint "${label}"`, ...dropped.map((d) => `dropped: ${d}`)], fieldComments });
    checkNames.set(gatusKey(group ?? '', label), name);
    recordMapped(report, 'external endpoint', label, dropped);
    addAlerts(e, name, channels, alertChecks, report, label);
  }

  const top = (config.maintenance ?? undefined) as Loose | undefined;
  if (top && top.enabled !== false) maintenance.push(maintenanceWindow(top, 'Gatus maintenance', undefined, report));

  const plan: ImportPlan = {
    header: [`Imported from Gatus: ${source}`, 'Lines starting with "dropped:" or "skipped" name what could not be carried over, and why.'],
    checks,
    notifiers,
    alertChecks,
    maintenance,
    incidents: [],
    report,
    secrets,
  };
  const page = mapUi((config.ui ?? {}) as Loose, report);
  if (page) plan.page = page;
  for (const key of ['web', 'metrics', 'security', 'connectivity', 'announcements', 'suites', 'remote']) {
    if (config[key] !== undefined) report.notes.push(`section "${key}" is not imported`);
  }
  const storage = config.storage as Loose | undefined;
  return { plan, checkNames, storage: storage ? { type: String(storage.type ?? 'memory'), path: typeof storage.path === 'string' ? storage.path : undefined } : undefined };
}

function addAlerts(e: Loose, name: string, channels: Set<string>, alertChecks: KeyedPlanItem[], report: ReturnType<typeof createReport>, label: string): void {
  const alerts = (Array.isArray(e.alerts) ? e.alerts : []) as Loose[];
  const enabled = alerts.filter((a) => a.enabled !== false);
  if (!enabled.length) return;
  const types = [...new Set(enabled.map((a) => String(a.type)))];
  const known = types.filter((t) => channels.has(t));
  const comments = types.filter((t) => !channels.has(t)).map((t) => `dropped: alert via "${t}" (provider not imported)`);
  const usable = enabled.filter((a) => channels.has(String(a.type)));
  const first = usable[0] ?? enabled[0];
  const failures = Number(first['failure-threshold'] ?? 3);
  const down: Record<string, unknown> = { for: Math.min(100, Math.max(1, failures)), sendOnResolved: first['send-on-resolved'] === true };
  if (known.length) down.channels = known;
  else {
    alertChecks.push({ key: name, comments });
    return;
  }
  if (usable.some((a) => a['failure-threshold'] !== first['failure-threshold'] || a['send-on-resolved'] !== first['send-on-resolved'])) {
    comments.push('dropped: different thresholds per provider (the first alert\'s are used for all channels)');
  }
  if (first['success-threshold'] !== undefined) comments.push(`dropped: success-threshold ${String(first['success-threshold'])} (Upstate resolves on the first success)`);
  if (comments.length) report.notes.push(`alerts of "${label}": ${comments.map((c) => c.replace(/^dropped: /, '')).join('; ')}`);
  alertChecks.push({ key: name, value: { down }, comments });
}

function maintenanceWindow(w: Loose, name: string, checks: string[] | undefined, report: ReturnType<typeof createReport>): PlanItem {
  const start = /^(\d{1,2}):(\d{2})$/.exec(String(w.start ?? '').trim());
  const duration = parseGoDuration(w.duration);
  if (!start || !duration) {
    recordSkipped(report, 'maintenance', name, ['needs start (hh:mm) and duration']);
    return { comments: [`skipped maintenance "${name}": needs start (hh:mm) and duration`] };
  }
  const every = (Array.isArray(w.every) ? w.every : []).map((d) => DAYS[String(d).toLowerCase()]).filter((d) => d !== undefined);
  const value: Record<string, unknown> = {
    name,
    ...(checks ? { checks } : {}),
    cron: `${Number(start[2])} ${Number(start[1])} * * ${every.length ? every.join(',') : '*'}`,
    duration: formatDuration(duration),
    timezone: typeof w.timezone === 'string' && w.timezone ? w.timezone : 'UTC',
  };
  recordMapped(report, 'maintenance', name);
  return { value, comments: [checks ? `from the endpoint's maintenance-windows` : 'from maintenance: (applies to every check, as in Gatus)'] };
}

function mapUi(ui: Loose, report: ReturnType<typeof createReport>): PlanItem | undefined {
  if (!Object.keys(ui).length) return undefined;
  const value: Record<string, unknown> = {};
  const dropped: string[] = [];
  const title = (typeof ui.header === 'string' && ui.header) || (typeof ui.title === 'string' && ui.title);
  if (title) value.title = title.slice(0, 200);
  if (typeof ui.header === 'string' && typeof ui.title === 'string' && ui.header !== ui.title) dropped.push(`browser title "${ui.title}" (the page title is the header "${ui.header}")`);
  if (typeof ui.description === 'string') value.description = ui.description.slice(0, 2000);
  if (typeof ui.logo === 'string' && /^(?:https?:\/\/|\/|data:image\/)/.test(ui.logo)) value.logo = ui.logo;
  const links = ((Array.isArray(ui.buttons) ? ui.buttons : []) as Loose[])
    .filter((b) => typeof b.name === 'string' && isHttpUrl(String(b.link)))
    .slice(0, 10)
    .map((b) => ({ label: String(b.name).slice(0, 100), url: String(b.link) }));
  if (links.length) value.links = links;
  for (const key of ['link', 'custom-css', 'dark-mode', 'default-sort-by', 'default-filter-by', 'login-subtitle']) {
    if (ui[key] !== undefined) dropped.push(`ui.${key}`);
  }
  recordMapped(report, 'ui', 'ui', dropped);
  return { value, comments: ['from ui:', ...dropped.map((d) => `dropped: ${d}`)] };
}
