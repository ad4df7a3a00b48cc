/**
 * Reads Uptime Kuma 1.x's JSON backup (Settings → Backup → Export): `{ version, notificationList,
 * monitorList }`, monitors in the camelCase shape of Kuma's `Monitor.toJSON()`. A backup carries
 * no heartbeats, status pages, incidents or maintenance.
 * @module
 */
import { ImportInputError } from '../import-input-error.ts';
import { kumaNumber, kumaText, type KumaMonitor, type KumaNotification, type KumaSnapshot } from './kuma-model.ts';
import { kumaFlag, readSharedMonitorFields } from './kuma-monitor-fields.ts';

type Loose = Record<string, unknown>;

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
      id: kumaNumber(m.id, index + 1),
      name: kumaText(m.name) ?? `monitor ${index + 1}`,
      type: kumaText(m.type) ?? 'http',
      active: m.active === undefined ? true : kumaFlag(m.active),
      ...readSharedMonitorFields(m, 'backup'),
      acceptedStatuscodes: Array.isArray(m.accepted_statuscodes) ? (m.accepted_statuscodes as unknown[]).map(String) : ['200-299'],
      expectedValue: typeof m.expectedValue === 'string' ? m.expectedValue : undefined,
      notificationIds: Object.entries(ids).filter(([, on]) => on).map(([id]) => Number(id)),
      tags: Array.isArray(m.tags) ? (m.tags as Loose[]).map((t) => ({ name: String(t.name), ...(kumaText(t.value) ? { value: String(t.value) } : {}) })) : [],
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
    return { id: kumaNumber(n.id, index + 1), name: kumaText(n.name) ?? `notification ${index + 1}`, active: n.active === undefined ? true : kumaFlag(n.active), isDefault: kumaFlag(n.isDefault ?? n.is_default), config };
  });
  return { format: 'backup', monitors, notifications, statusPages: [], incidents: [], maintenance: [] };
}
