/**
 * Reads Uptime Kuma 1.x's JSON backup (Settings → Backup → Export): `{ version, notificationList,
 * monitorList }`, monitors in the camelCase shape of Kuma's `Monitor.toJSON()`. A backup carries
 * no heartbeats, status pages, incidents or maintenance.
 * @module
 */
import { ImportInputError } from '../import-input-error.ts';
import type { KumaMonitor, KumaNotification, KumaSnapshot } from './kuma-model.ts';

type Loose = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : fallback);
const flag = (v: unknown) => v === true || v === 1 || v === '1';

/** Parses backup text; throws ImportInputError naming `file` when it is not a Kuma backup. */
export function readKumaBackup(textContent: string, file: string): KumaSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(textContent);
  } catch (cause) {
    throw new ImportInputError(file, `not valid JSON (${(cause as Error).message}) and not an SQLite database`, { cause });
  }
  const backup = data as Loose;
  if (!backup || typeof backup !== 'object' || !Array.isArray(backup.monitorList)) {
    throw new ImportInputError(file, 'not an Uptime Kuma backup: "monitorList" (an array) is missing');
  }
  const monitors = (backup.monitorList as Loose[]).map((m, index): KumaMonitor => {
    if (!m || typeof m !== 'object') throw new ImportInputError(file, `monitorList[${index}] is not an object`);
    const ids = m.notificationIDList && typeof m.notificationIDList === 'object' ? (m.notificationIDList as Record<string, unknown>) : {};
    return {
      id: num(m.id, index + 1),
      name: str(m.name) ?? `monitor ${index + 1}`,
      type: str(m.type) ?? 'http',
      active: m.active === undefined ? true : flag(m.active),
      parent: m.parent == null ? undefined : num(m.parent),
      description: str(m.description),
      url: str(m.url),
      method: str(m.method),
      headers: str(m.headers),
      body: str(m.body),
      httpBodyEncoding: str(m.httpBodyEncoding),
      hostname: str(m.hostname),
      port: m.port == null ? undefined : num(m.port),
      interval: num(m.interval, 60),
      retryInterval: num(m.retryInterval),
      maxretries: num(m.maxretries),
      resendInterval: num(m.resendInterval),
      timeout: m.timeout == null ? undefined : num(m.timeout),
      keyword: str(m.keyword),
      invertKeyword: flag(m.invertKeyword),
      ignoreTls: flag(m.ignoreTls),
      upsideDown: flag(m.upsideDown),
      maxredirects: num(m.maxredirects, 10),
      acceptedStatuscodes: Array.isArray(m.accepted_statuscodes) ? (m.accepted_statuscodes as unknown[]).map(String) : ['200-299'],
      dnsResolveType: str(m.dns_resolve_type),
      dnsResolveServer: str(m.dns_resolve_server),
      pushToken: str(m.pushToken),
      authMethod: str(m.authMethod),
      basicAuthUser: str(m.basic_auth_user),
      basicAuthPass: str(m.basic_auth_pass),
      jsonPath: str(m.jsonPath),
      expectedValue: typeof m.expectedValue === 'string' ? m.expectedValue : undefined,
      jsonPathOperator: str(m.jsonPathOperator),
      expiryNotification: flag(m.expiryNotification),
      weight: num(m.weight, 2000),
      notificationIds: Object.entries(ids).filter(([, on]) => on).map(([id]) => Number(id)),
      tags: Array.isArray(m.tags) ? (m.tags as Loose[]).map((t) => ({ name: String(t.name), ...(str(t.value) ? { value: String(t.value) } : {}) })) : [],
    };
  });
  const notifications = (Array.isArray(backup.notificationList) ? (backup.notificationList as Loose[]) : []).map((n, index): KumaNotification => {
    let config: Loose = {};
    if (typeof n.config === 'string') {
      try {
        config = JSON.parse(n.config) as Loose;
      } catch {
        throw new ImportInputError(file, `notificationList[${index}].config is not valid JSON`);
      }
    } else if (n.config && typeof n.config === 'object') config = n.config as Loose;
    return { id: num(n.id, index + 1), name: str(n.name) ?? `notification ${index + 1}`, active: n.active === undefined ? true : flag(n.active), isDefault: flag(n.isDefault ?? n.is_default), config };
  });
  return { format: 'backup', monitors, notifications, statusPages: [], incidents: [], maintenance: [] };
}
