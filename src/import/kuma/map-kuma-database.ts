/**
 * Field-by-field mapping of Kuma's database monitors: postgres → `postgres`, mysql → `mysql`,
 * redis → `redis`. Kuma keeps one connection string (`postgres://user:pass@host:port/db`); its
 * parts become the check's fields, and the password becomes a `${ENV}` reference.
 * @module
 */
import type { KumaMonitor } from './kuma-model.ts';
import type { KumaKindMapper } from './map-kuma-monitor.ts';

type Ctx = Parameters<KumaKindMapper>[1];

/** The connection string as a URL with one of `schemes`, or why it is not one. */
function connectionUrl(m: KumaMonitor, schemes: string[]): URL | { skip: string } {
  const text = (m.databaseConnectionString ?? '').trim();
  if (!text) return { skip: `${m.type} monitor without a connection string` };
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !schemes.includes(url.protocol.slice(0, -1)) || !url.hostname) {
    return { skip: `connection string is not a ${schemes.map((s) => `${s}://`).join(' or ')} URL with a host (key=value strings are not read)` };
  }
  return url;
}

/** host, port, user and password (as a reference) of the URL. */
function login(url: URL, m: KumaMonitor, ctx: Ctx, fallbackPassword?: string): Record<string, unknown> {
  const config: Record<string, unknown> = { host: url.hostname.replace(/^\[|\]$/g, '') };
  if (url.port) config.port = Number(url.port);
  if (url.username) config.user = decodeURIComponent(url.username);
  const password = url.password ? decodeURIComponent(url.password) : fallbackPassword;
  if (password) config.password = ctx.secrets.ref([ctx.check, 'password'], password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database && m.type !== 'redis') config.database = database;
  return config;
}

/** Query parameters the mapping does not read, as one dropped line. */
function otherParams(url: URL, read: string[]): string[] {
  const other = [...url.searchParams.keys()].filter((k) => !read.includes(k));
  return other.length ? [`connection options ${other.join(', ')} (Upstate's check has no such setting)`] : [];
}

/** postgres monitors: `sslmode` decides TLS; the query (Kuma's default is SELECT 1) is kept. */
export const mapPostgres: KumaKindMapper = (m, ctx) => {
  const url = connectionUrl(m, ['postgres', 'postgresql']);
  if ('skip' in url) return url;
  const config = login(url, m, ctx);
  const dropped = otherParams(url, ['sslmode']);
  const sslmode = (url.searchParams.get('sslmode') ?? '').toLowerCase();
  if (['require', 'verify-ca', 'verify-full'].includes(sslmode)) config.tls = true;
  else if (sslmode === 'no-verify') config.tls = { verify: false };
  else if (sslmode === 'prefer' || sslmode === 'allow') dropped.push(`sslmode=${sslmode} (Upstate connects without TLS unless postgres.tls is set)`);
  if (m.databaseQuery?.trim()) config.query = m.databaseQuery.trim();
  return { kind: 'postgres', config, dropped };
};

/** mysql monitors: Kuma 1.23 keeps the password in the RADIUS password column when it is not in the URL. */
export const mapMysql: KumaKindMapper = (m, ctx) => {
  const url = connectionUrl(m, ['mysql', 'mariadb']);
  if ('skip' in url) return url;
  const config = login(url, m, ctx, m.radiusPassword);
  const dropped = otherParams(url, []);
  if (m.databaseQuery?.trim()) config.query = m.databaseQuery.trim();
  return { kind: 'mysql', config, dropped };
};

/** redis monitors: `rediss://` is TLS (ignore TLS → verify: false), `/n` the database. */
export const mapRedis: KumaKindMapper = (m, ctx) => {
  const url = connectionUrl(m, ['redis', 'rediss']);
  if ('skip' in url) return url;
  const { user, ...config } = login(url, m, ctx);
  if (user && user !== 'default') config.username = user;
  const db = url.pathname.replace(/^\//, '');
  if (/^\d+$/.test(db) && Number(db) !== 0) config.database = Number(db);
  if (url.protocol === 'rediss:') config.tls = m.ignoreTls ? { verify: false } : true;
  return { kind: 'redis', config, dropped: otherParams(url, []) };
};
