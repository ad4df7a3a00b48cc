/**
 * Uptime Kuma → import plan: checks (in status-page order), groups, per-check alert rules,
 * channels, the status page, incidents and maintenance. Every monitor ends up mapped, partially
 * mapped or skipped, with its reasons in the report and as comments in the config.
 * @module
 */
import { formatDuration } from '../../kernel/parse-duration.ts';
import { createReport, recordMapped, recordSkipped } from '../import-report.ts';
import type { ImportPlan, KeyedPlanItem, PlanItem } from '../import-plan.ts';
import { channelName, createNameAllocator } from '../mapping-helpers.ts';
import { createSecretBook } from '../secret-book.ts';
import { isoUtc } from '../zoned-time.ts';
import type { KumaMonitor, KumaSnapshot, KumaStatusPage } from './kuma-model.ts';
import { kumaKindMapper } from './kuma-monitor-kinds.ts';
import { mapKumaNotification } from './map-kuma-notification.ts';
import { mapKumaMaintenance } from './map-kuma-maintenance.ts';

export interface KumaImport {
  plan: ImportPlan;
  /** Kuma monitor id → Upstate check name, for the monitors that became checks. */
  checkNames: Map<number, string>;
}

const IMPACT: Record<string, string> = { danger: 'major', warning: 'minor', primary: 'none', info: 'none', light: 'none', dark: 'none' };

export function importKuma(snapshot: KumaSnapshot, source: string): KumaImport {
  const report = createReport();
  const secrets = createSecretBook('KUMA');
  const byId = new Map(snapshot.monitors.map((m) => [m.id, m]));
  const page = snapshot.statusPages[0];
  for (const other of snapshot.statusPages.slice(1)) {
    recordSkipped(report, 'status page', other.slug, ['Upstate serves one status page; its monitors are still imported']);
  }

  // group of a monitor: its status-page group, else its Kuma parent group path
  const pageGroup = new Map<number, string>();
  const order: number[] = [];
  for (const group of page?.groups ?? []) {
    for (const id of group.monitorIds) {
      if (!pageGroup.has(id)) pageGroup.set(id, group.name);
      if (!order.includes(id)) order.push(id);
    }
  }
  const parentPath = (m: KumaMonitor): string | undefined => {
    const names: string[] = [];
    for (let p = m.parent, depth = 0; p !== undefined && depth < 10; depth++) {
      const parent = byId.get(p);
      if (!parent) break;
      names.unshift(parent.name);
      p = parent.parent;
    }
    return names.length ? names.join(' / ') : undefined;
  };
  const rest = snapshot.monitors.filter((m) => !order.includes(m.id)).sort((a, b) => (parentPath(a) ?? '').localeCompare(parentPath(b) ?? '') || b.weight - a.weight || a.id - b.id);
  const ordered = [...order.map((id) => byId.get(id)).filter((m): m is KumaMonitor => m !== undefined), ...rest];

  // channels first: checks refer to them
  const notifiers: KeyedPlanItem[] = [];
  const channelOf = new Map<number, string>();
  const usedChannels = new Set<string>();
  for (const n of snapshot.notifications) {
    const key = channelName(n.name, usedChannels);
    const mapped = mapKumaNotification(n, key, secrets);
    if ('skip' in mapped) {
      recordSkipped(report, 'notification', n.name, [mapped.skip]);
      notifiers.push({ key, comments: [`notification "${n.name}" not imported: ${mapped.skip}`] });
      continue;
    }
    const value = n.active ? mapped.config : { ...mapped.config, enabled: false };
    recordMapped(report, 'notification', n.name, mapped.dropped);
    channelOf.set(n.id, key);
    notifiers.push({ key, value, comments: [`from Kuma notification "${n.name}"${n.active ? '' : ' (disabled in Kuma)'}`, ...mapped.dropped.map((d) => `dropped: ${d}`)] });
  }

  // names are allocated in Kuma id order, so a repeated name's suffix does not depend on page order
  const allocate = createNameAllocator();
  const uniqueName = new Map([...snapshot.monitors].sort((a, b) => a.id - b.id).filter((m) => m.type !== 'group').map((m) => [m.id, allocate(m.name)]));
  const checkNames = new Map<number, string>();
  const checks: PlanItem[] = [];
  const alertChecks: KeyedPlanItem[] = [];
  for (const m of ordered) {
    if (m.type === 'group') continue; // becomes the `group:` of its children
    const label = `${m.name} (Kuma #${m.id}, ${m.type})`;
    const skip = (reason: string) => {
      recordSkipped(report, 'monitor', m.name, [reason]);
      checks.push({ comments: [`skipped ${label}: ${reason}`] });
    };
    if (!m.active) {
      skip('paused in Kuma (Upstate has no paused checks; add it back when wanted)');
      continue;
    }
    if (m.upsideDown) {
      skip('upside-down mode (down counts as up) has no Upstate equivalent');
      continue;
    }
    const name = uniqueName.get(m.id)!;
    const mapped = kumaKindMapper(m.type)(m, { secrets, check: name });
    if ('skip' in mapped) {
      skip(mapped.skip);
      continue;
    }
    const dropped = [...mapped.dropped];
    const extra = kumaConditions(m.conditions);
    if (extra) dropped.push(`Kuma conditions ${extra} (not translated; write them as Upstate conditions, e.g. dns.answers contains "…")`);
    const fieldComments: Record<string, string[]> = {};
    for (const [path, lines] of Object.entries(mapped.fieldComments ?? {})) fieldComments[path] = lines;
    const value: Record<string, unknown> = { name };
    if (name !== m.name) fieldComments.name = [`renamed: another monitor is also called "${m.name}"`];
    const group = pageGroup.get(m.id) ?? parentPath(m);
    if (group) value.group = group;
    if (m.description) value.description = m.description.slice(0, 2000);
    const intervalMs = Math.max(1, m.interval) * 1000;
    if (mapped.kind !== 'heartbeat') {
      value.interval = formatDuration(intervalMs);
      // Kuma's default timeout is 80% of the interval; Upstate's timeout may not exceed the interval
      const timeoutMs = m.timeout && m.timeout > 0 ? Math.min(Math.round(m.timeout * 1000), intervalMs) : Math.min(intervalMs, Math.round(intervalMs * 0.8));
      value.timeout = formatDuration(timeoutMs);
      if (m.maxretries > 0) {
        value.downAfter = Math.min(100, m.maxretries + 1);
        if (m.retryInterval && m.retryInterval !== m.interval) {
          dropped.push(`retry interval ${m.retryInterval}s (Upstate confirms at the regular interval)`);
          fieldComments.downAfter = [`Kuma: ${m.maxretries} retries every ${m.retryInterval}s before down; Upstate waits for the next regular checks`];
        }
      }
    }
    if (mapped.conditions?.length) value.conditions = mapped.conditions;
    value[mapped.kind] = mapped.config;
    if (m.tags.length) fieldComments.name = [...(fieldComments.name ?? []), `Kuma tags (not imported): ${m.tags.map((t) => (t.value ? `${t.name}=${t.value}` : t.name)).join(', ')}`];
    checks.push({ value, comments: [`from ${label}`, ...dropped.map((d) => `dropped: ${d}`)], fieldComments });
    checkNames.set(m.id, name);

    const channels = m.notificationIds.map((id) => channelOf.get(id)).filter((c): c is string => c !== undefined);
    const rules: Record<string, unknown> = {};
    if (channels.length) {
      const down: Record<string, unknown> = { channels };
      if (m.resendInterval > 0) down.repeatEvery = formatDuration(Math.max(60, m.resendInterval * m.interval) * 1000);
      rules.down = down;
    }
    if (m.expiryNotification && m.url?.startsWith('https:') && mapped.kind === 'http') rules.certificate = channels.length ? { within: '21d', channels } : '21d';
    if (Object.keys(rules).length) alertChecks.push({ key: name, value: rules });
    recordMapped(report, 'monitor', m.name, dropped);
  }

  const plan: ImportPlan = {
    header: [
      `Imported from Uptime Kuma (${snapshot.format === 'backup' ? '1.x JSON backup' : `${snapshot.format === '2' ? '2.x' : '1.23'} database`}): ${source}`,
      'Lines starting with "dropped:" or "skipped" name what could not be carried over, and why.',
    ],
    checks,
    notifiers,
    alertChecks,
    maintenance: [],
    incidents: [],
    report,
    secrets,
  };
  if (page) plan.page = mapPage(page, report);
  if (snapshot.format === 'backup') report.notes.push('a JSON backup holds monitors and notifications only: no status pages, incidents, maintenance or heartbeats');

  const monitorsOfPage = new Map(snapshot.statusPages.map((p) => [p.id, p.groups.flatMap((g) => g.monitorIds)]));
  const usedWindows = new Set<string>();
  for (const w of snapshot.maintenance) {
    const ids = [...w.monitorIds, ...w.statusPageIds.flatMap((id) => monitorsOfPage.get(id) ?? [])];
    const checksOf = [...new Set(ids.map((id) => checkNames.get(id)).filter((n): n is string => n !== undefined))];
    let name = w.title.trim().slice(0, 190) || `maintenance-${w.id}`;
    for (let n = 2; usedWindows.has(name); n++) name = `${w.title} (${n})`;
    usedWindows.add(name);
    const mapped = mapKumaMaintenance(w, name, checksOf);
    if ('skip' in mapped) {
      recordSkipped(report, 'maintenance', w.title, [mapped.skip]);
      plan.maintenance.push({ comments: [`skipped maintenance "${w.title}" (${w.strategy}): ${mapped.skip}`] });
      continue;
    }
    recordMapped(report, 'maintenance', w.title, mapped.dropped);
    plan.maintenance.push({ value: mapped.value, comments: [`from Kuma maintenance "${w.title}" (${w.strategy})`, ...mapped.dropped.map((d) => `dropped: ${d}`)] });
  }

  for (const incident of snapshot.incidents) {
    const other = incident.statusPageId !== undefined && page && incident.statusPageId !== page.id ? snapshot.statusPages.find((p) => p.id === incident.statusPageId) : undefined;
    if (other) {
      // an incident posted on a page that is not imported (often an internal one) must not go public
      const reason = `posted on status page "${other.slug}", which is not imported (Upstate serves one status page)`;
      recordSkipped(report, 'incident', incident.title, [reason]);
      plan.incidents.push({ comments: [`skipped Kuma incident #${incident.id} "${incident.title}": ${reason}`] });
      continue;
    }
    if (!Number.isFinite(incident.createdDate)) {
      recordSkipped(report, 'incident', incident.title, ['no readable creation date']);
      continue;
    }
    const value: Record<string, unknown> = {
      id: `kuma-${incident.id}`,
      title: incident.title.slice(0, 300),
      impact: IMPACT[incident.style] ?? 'minor',
      at: isoUtc(incident.createdDate),
    };
    // Kuma shows pinned incidents; unpinning one is how it is closed
    if (!incident.pin) {
      value.status = 'resolved';
      value.resolvedAt = isoUtc(Math.max(incident.createdDate, incident.lastUpdatedDate ?? incident.createdDate));
    }
    if (incident.content.trim()) value.body = incident.content.slice(0, 10_000);
    recordMapped(report, 'incident', incident.title);
    plan.incidents.push({ value, comments: [`from Kuma incident #${incident.id} (style ${incident.style}${incident.pin ? ', pinned' : ''}); Kuma incidents name no monitors`] });
  }
  return { plan, checkNames };
}

function mapPage(page: KumaStatusPage, report: ReturnType<typeof createReport>): PlanItem {
  const value: Record<string, unknown> = { title: page.title.slice(0, 200) };
  const comments = [`from Kuma status page "${page.slug}"`];
  const dropped: string[] = [];
  if (page.description) value.description = page.description.slice(0, 2000);
  if (page.footerText) {
    value.footer = page.footerText.slice(0, 500);
    if (page.footerText.length > 500) dropped.push('footer shortened to 500 characters');
  }
  if (page.domains.length) {
    value.publicUrl = `https://${page.domains[0]}`;
    if (page.domains.length > 1) dropped.push(`other custom domains: ${page.domains.slice(1).join(', ')}`);
  }
  if (page.icon && /^(?:https?:\/\/|data:image\/)/.test(page.icon)) value.logo = page.icon;
  else if (page.icon && page.icon !== '/icon.svg') dropped.push(`logo ${page.icon} is a file inside Kuma; copy it and set page.logo`);
  if (page.customCss?.trim()) dropped.push('custom CSS (use page.templates to restyle)');
  if (page.password) dropped.push('page password (use auth: with a reverse proxy header)');
  if (page.showTags) dropped.push('show tags');
  if (page.showCertificateExpiry) dropped.push('show certificate expiry');
  recordMapped(report, 'status page', page.slug, dropped);
  return { value, comments: [...comments, ...dropped.map((d) => `dropped: ${d}`)] };
}

/** 2.x monitor conditions in short form (`record contains "1.2.3.4"`), or undefined when there are none. */
function kumaConditions(text: string | undefined): string | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text ?? '[]');
  } catch {
    return text;
  }
  if (!Array.isArray(list) || !list.length) return undefined;
  const flat = (items: unknown[]): string[] =>
    items.flatMap((c) => {
      const item = (c ?? {}) as { variable?: unknown; operator?: unknown; value?: unknown; children?: unknown };
      return Array.isArray(item.children) ? flat(item.children) : [`${String(item.variable)} ${String(item.operator)} ${JSON.stringify(item.value)}`];
    });
  return flat(list).join(', ');
}
