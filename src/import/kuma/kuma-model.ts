/**
 * Uptime Kuma's data as the importer needs it, the same whichever source it came from: a 1.23 or
 * 2.x SQLite database (tables `monitor`, `notification`, `status_page`, `group`, `monitor_group`,
 * `incident`, `maintenance` …, per Kuma's `db/knex_init_db.js` and `db/knex_migrations`) or a 1.x
 * JSON backup (`monitorList`, `notificationList`).
 * @module
 */

/** Kuma heartbeat statuses (`heartbeat.status`). */
export const KUMA_STATUS = { DOWN: 0, UP: 1, PENDING: 2, MAINTENANCE: 3 } as const;

export interface KumaMonitor {
  id: number;
  name: string;
  type: string;
  active: boolean;
  parent?: number;
  description?: string;
  url?: string;
  method?: string;
  /** JSON text of a header object. */
  headers?: string;
  body?: string;
  /** `json`, `form`, `xml` or null (2.x / late 1.23). */
  httpBodyEncoding?: string;
  hostname?: string;
  port?: number;
  /** Seconds. */
  interval: number;
  retryInterval: number;
  maxretries: number;
  resendInterval: number;
  /** Seconds; 0 or absent means Kuma's default (80% of the interval). */
  timeout?: number;
  keyword?: string;
  invertKeyword: boolean;
  ignoreTls: boolean;
  upsideDown: boolean;
  maxredirects: number;
  acceptedStatuscodes: string[];
  dnsResolveType?: string;
  dnsResolveServer?: string;
  pushToken?: string;
  authMethod?: string;
  basicAuthUser?: string;
  basicAuthPass?: string;
  jsonPath?: string;
  expectedValue?: string;
  jsonPathOperator?: string;
  expiryNotification: boolean;
  /** postgres / mysql / redis: `postgres://user:pass@host:port/db` and the like. */
  databaseConnectionString?: string;
  databaseQuery?: string;
  /** Kuma 1.23's mysql monitor reads its password from this column when the URL has none. */
  radiusPassword?: string;
  /** grpc-keyword: `host:port`, the service and method called, its JSON body and metadata. */
  grpcUrl?: string;
  grpcServiceName?: string;
  grpcMethod?: string;
  grpcBody?: string;
  grpcMetadata?: string;
  grpcEnableTls: boolean;
  /** ping: bytes per packet (default 56); 2.x adds count and per-request timeout (seconds). */
  packetSize?: number;
  pingCount?: number;
  pingPerRequestTimeout?: number;
  /** smtp (2.x): `secure` (SMTPS), `starttls`, or `nostarttls`. */
  smtpSecurity?: string;
  /** websocket-upgrade (2.x): offered subprotocols (comma-separated), and the accept-header waiver. */
  wsSubprotocol?: string;
  wsIgnoreSecWebsocketAcceptHeader: boolean;
  /** real-browser: id of a remote browser (Kuma connects to it instead of its own Chromium). */
  remoteBrowser?: number;
  weight: number;
  notificationIds: number[];
  tags: { name: string; value?: string }[];
}

export interface KumaNotification {
  id: number;
  name: string;
  active: boolean;
  isDefault: boolean;
  /** The parsed `notification.config` JSON; `type` selects the provider. */
  config: Record<string, unknown>;
}

export interface KumaStatusPage {
  id: number;
  slug: string;
  title: string;
  description?: string;
  footerText?: string;
  icon?: string;
  customCss?: string;
  password?: string;
  showTags: boolean;
  showCertificateExpiry: boolean;
  domains: string[];
  /** Groups in page order, each with its monitors in page order. */
  groups: { id: number; name: string; monitorIds: number[] }[];
}

interface KumaIncident {
  id: number;
  title: string;
  content: string;
  /** info, warning, danger, primary, light, dark. */
  style: string;
  createdDate: number;
  lastUpdatedDate?: number;
  pin: boolean;
  statusPageId?: number;
}

export interface KumaMaintenance {
  id: number;
  title: string;
  description?: string;
  active: boolean;
  /** manual, single, recurring-interval, recurring-weekday, recurring-day-of-month, cron. */
  strategy: string;
  startDate?: string;
  endDate?: string;
  startTime?: string;
  endTime?: string;
  /** 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  daysOfMonth: (number | string)[];
  intervalDay?: number;
  cron?: string;
  /** Minutes (cron strategy). */
  duration?: number;
  /** IANA name, `SAME_AS_SERVER`, or absent. */
  timezone?: string;
  monitorIds: number[];
  statusPageIds: number[];
}

export interface KumaSnapshot {
  /** `1` (1.23 SQLite), `2` (2.x SQLite) or `backup` (1.x JSON backup). */
  format: '1' | '2' | 'backup';
  monitors: KumaMonitor[];
  notifications: KumaNotification[];
  statusPages: KumaStatusPage[];
  incidents: KumaIncident[];
  maintenance: KumaMaintenance[];
}

/** A non-blank string, else undefined (Kuma leaves unused fields empty or null). */
export function kumaText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A number, or numeric text (SQLite and older backups store some numbers as text), else `fallback`. */
export function kumaNumber(value: unknown, fallback = 0): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : fallback;
  return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : fallback;
}

/** Kuma writes UTC datetimes as `YYYY-MM-DD HH:MM:SS[.SSS]`; epoch ms, or NaN when unreadable. */
export function kumaTime(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return Number.NaN;
  const iso = text.trim().replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}
