/**
 * Request headers a check sends (user headers, auth, a recognisable User-Agent) and the
 * flattening of undici's response headers into lower-cased single strings for assertions.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpConfig } from './http-config.ts';

/** Sent unless the check sets its own, so operators can spot (and allow-list) the monitor. */
const DEFAULT_USER_AGENT = 'Upstate/0.1 (uptime monitor)';

/**
 * The headers of the first request. Auth comes from `auth`, else from credentials in the URL;
 * an explicit `authorization` header wins over both.
 */
export function requestHeaders(config: Pick<HttpConfig, 'headers' | 'auth'>, url: URL): Record<string, string> {
  const headers: Record<string, string> = { ...config.headers };
  const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  if (!has('user-agent')) headers['user-agent'] = DEFAULT_USER_AGENT;
  if (!has('authorization')) {
    const auth = config.auth;
    if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
    else if (auth && 'basic' in auth) headers.authorization = basic(auth.basic.username, auth.basic.password);
    else if (url.username || url.password) headers.authorization = basic(decodeURIComponent(url.username), decodeURIComponent(url.password));
  }
  return headers;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Lower-cased names, repeated headers joined with ", " (as HTTP allows). */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
