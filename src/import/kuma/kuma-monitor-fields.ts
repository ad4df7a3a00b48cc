/**
 * The monitor fields both Kuma sources carry, each under its JSON-backup key (`Monitor.toJSON()`,
 * mostly camelCase) and its SQLite column (snake_case), with how its value is read. One table
 * keeps the backup reader and the database reader from drifting apart; what only one source has
 * (ids of linked rows, tags, the accepted status codes' two encodings) stays in its reader.
 * @module
 */
import { kumaNumber, kumaText, type KumaMonitor } from './kuma-model.ts';

type Loose = Record<string, unknown>;

/** How a stored value becomes a field: text, a 0/1 flag, a number with a default, or an optional number. */
type FieldReader = { kind: 'text' } | { kind: 'flag' } | { kind: 'number'; fallback: number } | { kind: 'optionalNumber' };

const text = { kind: 'text' } as const;
const flag = { kind: 'flag' } as const;
const optionalNumber = { kind: 'optionalNumber' } as const;
const number = (fallback: number) => ({ kind: 'number', fallback }) as const;

/** Field → [backup key, SQLite column, reader]. */
const MONITOR_FIELDS = {
  parent: ['parent', 'parent', optionalNumber],
  description: ['description', 'description', text],
  url: ['url', 'url', text],
  method: ['method', 'method', text],
  headers: ['headers', 'headers', text],
  body: ['body', 'body', text],
  httpBodyEncoding: ['httpBodyEncoding', 'http_body_encoding', text],
  hostname: ['hostname', 'hostname', text],
  port: ['port', 'port', optionalNumber],
  interval: ['interval', 'interval', number(60)],
  retryInterval: ['retryInterval', 'retry_interval', number(0)],
  maxretries: ['maxretries', 'maxretries', number(0)],
  resendInterval: ['resendInterval', 'resend_interval', number(0)],
  timeout: ['timeout', 'timeout', optionalNumber],
  keyword: ['keyword', 'keyword', text],
  invertKeyword: ['invertKeyword', 'invert_keyword', flag],
  ignoreTls: ['ignoreTls', 'ignore_tls', flag],
  upsideDown: ['upsideDown', 'upside_down', flag],
  maxredirects: ['maxredirects', 'maxredirects', number(10)],
  dnsResolveType: ['dns_resolve_type', 'dns_resolve_type', text],
  dnsResolveServer: ['dns_resolve_server', 'dns_resolve_server', text],
  pushToken: ['pushToken', 'push_token', text],
  authMethod: ['authMethod', 'auth_method', text],
  basicAuthUser: ['basic_auth_user', 'basic_auth_user', text],
  basicAuthPass: ['basic_auth_pass', 'basic_auth_pass', text],
  jsonPath: ['jsonPath', 'json_path', text],
  jsonPathOperator: ['jsonPathOperator', 'json_path_operator', text],
  expiryNotification: ['expiryNotification', 'expiry_notification', flag],
  databaseConnectionString: ['databaseConnectionString', 'database_connection_string', text],
  databaseQuery: ['databaseQuery', 'database_query', text],
  radiusPassword: ['radiusPassword', 'radius_password', text],
  grpcUrl: ['grpcUrl', 'grpc_url', text],
  grpcServiceName: ['grpcServiceName', 'grpc_service_name', text],
  grpcMethod: ['grpcMethod', 'grpc_method', text],
  grpcBody: ['grpcBody', 'grpc_body', text],
  grpcMetadata: ['grpcMetadata', 'grpc_metadata', text],
  grpcEnableTls: ['grpcEnableTls', 'grpc_enable_tls', flag],
  packetSize: ['packetSize', 'packet_size', optionalNumber],
  pingCount: ['ping_count', 'ping_count', optionalNumber],
  pingPerRequestTimeout: ['ping_per_request_timeout', 'ping_per_request_timeout', optionalNumber],
  smtpSecurity: ['smtpSecurity', 'smtp_security', text],
  wsSubprotocol: ['wsSubprotocol', 'ws_subprotocol', text],
  wsIgnoreSecWebsocketAcceptHeader: ['wsIgnoreSecWebsocketAcceptHeader', 'ws_ignore_sec_websocket_accept_header', flag],
  remoteBrowser: ['remote_browser', 'remote_browser', optionalNumber],
  conditions: ['conditions', 'conditions', text],
  weight: ['weight', 'weight', number(2000)],
} as const satisfies Partial<Record<keyof KumaMonitor, readonly [string, string, FieldReader]>>;

type SharedField = keyof typeof MONITOR_FIELDS;

/** Kuma's booleans: JSON true, SQLite 0/1, and text forms of both. */
export const kumaFlag = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 'true';

function readField(value: unknown, reader: FieldReader): string | number | boolean | undefined {
  switch (reader.kind) {
    case 'text':
      return kumaText(value);
    case 'flag':
      return kumaFlag(value);
    case 'number':
      return kumaNumber(value, reader.fallback);
    case 'optionalNumber':
      return value == null ? undefined : kumaNumber(value);
  }
}

/** The shared fields of one monitor, read from a backup object or a `monitor` row. */
export function readSharedMonitorFields(source: Loose, from: 'backup' | 'sqlite'): Pick<KumaMonitor, SharedField> {
  const fields: Record<string, unknown> = {};
  for (const [field, [backupKey, column, reader]] of Object.entries(MONITOR_FIELDS)) {
    fields[field] = readField(source[from === 'backup' ? backupKey : column], reader);
  }
  return fields as Pick<KumaMonitor, SharedField>;
}
