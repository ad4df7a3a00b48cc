/**
 * Reads Uptime Kuma 1.x's JSON backup (Settings → Backup → Export): `{ version, notificationList,
 * monitorList }`, monitors in the camelCase shape of Kuma's `Monitor.toJSON()`. A backup carries
 * no heartbeats, status pages, incidents or maintenance.
 * @module
 */
import { ImportInputError } from '../import-input-error.ts';
import { kumaNumber, kumaText, type KumaMonitor, type KumaNotification, type KumaSnapshot } from './kuma-model.ts';

type Loose = Record<string, unknown>;

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
      id: kumaNumber(m.id, index + 1),
      name: kumaText(m.name) ?? `monitor ${index + 1}`,
      type: kumaText(m.type) ?? 'http',
      active: m.active === undefined ? true : flag(m.active),
      parent: m.parent == null ? undefined : kumaNumber(m.parent),
      description: kumaText(m.description),
      url: kumaText(m.url),
      method: kumaText(m.method),
      headers: kumaText(m.headers),
      body: kumaText(m.body),
      httpBodyEncoding: kumaText(m.httpBodyEncoding),
      hostname: kumaText(m.hostname),
      port: m.port == null ? undefined : kumaNumber(m.port),
      interval: kumaNumber(m.interval, 60),
      retryInterval: kumaNumber(m.retryInterval),
      maxretries: kumaNumber(m.maxretries),
      resendInterval: kumaNumber(m.resendInterval),
      timeout: m.timeout == null ? undefined : kumaNumber(m.timeout),
      keyword: kumaText(m.keyword),
      invertKeyword: flag(m.invertKeyword),
      ignoreTls: flag(m.ignoreTls),
      upsideDown: flag(m.upsideDown),
      maxredirects: kumaNumber(m.maxredirects, 10),
      acceptedStatuscodes: Array.isArray(m.accepted_statuscodes) ? (m.accepted_statuscodes as unknown[]).map(String) : ['200-299'],
      dnsResolveType: kumaText(m.dns_resolve_type),
      dnsResolveServer: kumaText(m.dns_resolve_server),
      pushToken: kumaText(m.pushToken),
      authMethod: kumaText(m.authMethod),
      basicAuthUser: kumaText(m.basic_auth_user),
      basicAuthPass: kumaText(m.basic_auth_pass),
      jsonPath: kumaText(m.jsonPath),
      expectedValue: typeof m.expectedValue === 'string' ? m.expectedValue : undefined,
      jsonPathOperator: kumaText(m.jsonPathOperator),
      expiryNotification: flag(m.expiryNotification),
      databaseConnectionString: kumaText(m.databaseConnectionString),
      databaseQuery: kumaText(m.databaseQuery),
      radiusPassword: kumaText(m.radiusPassword),
      grpcUrl: kumaText(m.grpcUrl),
      grpcServiceName: kumaText(m.grpcServiceName),
      grpcMethod: kumaText(m.grpcMethod),
      grpcBody: kumaText(m.grpcBody),
      grpcMetadata: kumaText(m.grpcMetadata),
      grpcEnableTls: flag(m.grpcEnableTls),
      packetSize: m.packetSize == null ? undefined : kumaNumber(m.packetSize),
      pingCount: m.ping_count == null ? undefined : kumaNumber(m.ping_count),
      pingPerRequestTimeout: m.ping_per_request_timeout == null ? undefined : kumaNumber(m.ping_per_request_timeout),
      smtpSecurity: kumaText(m.smtpSecurity),
      wsSubprotocol: kumaText(m.wsSubprotocol),
      wsIgnoreSecWebsocketAcceptHeader: flag(m.wsIgnoreSecWebsocketAcceptHeader),
      remoteBrowser: m.remote_browser == null ? undefined : kumaNumber(m.remote_browser),
      weight: kumaNumber(m.weight, 2000),
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
    return { id: kumaNumber(n.id, index + 1), name: kumaText(n.name) ?? `notification ${index + 1}`, active: n.active === undefined ? true : flag(n.active), isDefault: flag(n.isDefault ?? n.is_default), config };
  });
  return { format: 'backup', monitors, notifications, statusPages: [], incidents: [], maintenance: [] };
}
