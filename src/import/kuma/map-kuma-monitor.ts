/**
 * Field-by-field mapping of the Kuma monitor types Upstate has a check kind for: http / keyword /
 * json-query → `http`, port → `tcp`, dns → `dns`, push → `heartbeat`. Common fields (interval,
 * retries, timeout, description) are mapped by import-kuma.ts.
 * @module
 */
import { formatDuration } from '../../kernel/parse-duration.ts';
import { DNS_RECORD_TYPES } from '../../probes/dns/dns-answers.ts';
import { HEARTBEAT_TOKEN_MAX_LENGTH, HEARTBEAT_TOKEN_MIN_LENGTH, HEARTBEAT_TOKEN_PATTERN } from '../../probes/heartbeat/heartbeat-token.ts';
import { conditionProblem, conditionString, exactRegex, isHttpUrl, isSecretHeader } from '../mapping-helpers.ts';
import type { SecretBook } from '../secret-book.ts';
import type { KumaMonitor } from './kuma-model.ts';

/** What a type mapper returns: the kind's config, or why the monitor cannot be carried over. */
type KindMapping =
  | {
      kind: string;
      config: Record<string, unknown>;
      conditions?: string[];
      /** Things dropped or changed, each also written as a comment on the check. */
      dropped: string[];
      fieldComments?: Record<string, string[]>;
    }
  | { skip: string };

interface MonitorContext {
  secrets: SecretBook;
  /** The Upstate check name (for env variable names). */
  check: string;
}

export type KumaKindMapper = (monitor: KumaMonitor, ctx: MonitorContext) => KindMapping;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_SPEC = /^\d{3}(?:-\d{3})?$/;

/** http, keyword and json-query monitors. */
export const mapHttp: KumaKindMapper = (m, ctx) => {
  if (!isHttpUrl(m.url)) return { skip: `URL ${JSON.stringify(m.url ?? '')} is not an absolute http(s) URL` };
  const dropped: string[] = [];
  const fieldComments: Record<string, string[]> = {};
  const config: Record<string, unknown> = {};
  const url = new URL(m.url);
  let auth: Record<string, unknown> | undefined;
  if (url.username || url.password) {
    // credentials in the URL would be written in clear text: move them to auth with an env reference
    auth = { basic: { username: decodeURIComponent(url.username), password: ctx.secrets.ref([ctx.check, 'password'], decodeURIComponent(url.password)) } };
    url.username = '';
    url.password = '';
  }
  config.url = auth ? url.href : m.url;
  const method = (m.method ?? 'GET').toUpperCase();
  if (METHODS.has(method)) {
    if (method !== 'GET') config.method = method;
  } else dropped.push(`method ${method} is not supported by Upstate; GET is used`);

  const headers: Record<string, string> = {};
  if (m.headers) {
    try {
      const parsed = JSON.parse(m.headers) as Record<string, unknown>;
      for (const [name, value] of Object.entries(parsed ?? {})) {
        if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(name)) {
          dropped.push(`header ${JSON.stringify(name)} is not a valid header name`);
          continue;
        }
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        headers[name] = isSecretHeader(name) ? ctx.secrets.ref([ctx.check, name], text) : text;
      }
    } catch {
      dropped.push('headers are not valid JSON in Kuma and were dropped');
    }
  }
  if (m.body !== undefined && method !== 'GET' && method !== 'HEAD') {
    const encoding = (m.httpBodyEncoding ?? 'json').toLowerCase();
    let body: unknown = m.body;
    if (encoding === 'json') {
      try {
        const parsed = JSON.parse(m.body) as unknown;
        if (parsed && typeof parsed === 'object') body = parsed;
      } catch {
        fieldComments['http.body'] = ['Kuma sent this body as JSON but it does not parse; it is sent as text'];
      }
    } else if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = encoding === 'xml' ? 'text/xml; charset=utf-8' : 'application/x-www-form-urlencoded';
    }
    config.body = body;
  } else if (m.body !== undefined) {
    dropped.push(`a request body with ${method} is not sent by Upstate`);
  }
  if (Object.keys(headers).length) config.headers = headers;

  const statuses = m.acceptedStatuscodes.filter((s) => STATUS_SPEC.test(s));
  if (statuses.length !== m.acceptedStatuscodes.length) dropped.push(`accepted status codes ${JSON.stringify(m.acceptedStatuscodes)} are not all NNN or NNN-NNN`);
  if (statuses.length) config.expectStatus = statuses;
  if (m.maxredirects === 0) config.followRedirects = false;
  else if (m.maxredirects > 20) {
    config.maxRedirects = 20;
    fieldComments['http.maxRedirects'] = [`Kuma allowed ${m.maxredirects} redirects; Upstate allows at most 20`];
  } else if (m.maxredirects !== 5) config.maxRedirects = m.maxredirects;
  if (m.ignoreTls) config.tls = { verify: false };

  const method_ = (m.authMethod ?? (m.basicAuthUser ? 'basic' : '')).toLowerCase();
  if (method_ === 'basic' && m.basicAuthUser) {
    auth = { basic: { username: m.basicAuthUser, password: ctx.secrets.ref([ctx.check, 'password'], m.basicAuthPass ?? '') } };
  } else if (method_ && method_ !== 'basic') {
    dropped.push(`${method_} authentication is not supported by Upstate`);
  }
  if (auth) config.auth = auth;

  const conditions: string[] = [];
  if (m.type === 'keyword') {
    if (!m.keyword) return { skip: 'keyword monitor without a keyword' };
    if (m.invertKeyword) conditions.push(`body !contains ${conditionString(m.keyword)}`);
    else config.bodyContains = m.keyword;
  }
  if (m.type === 'json-query') {
    const condition = jsonQueryCondition(m);
    if (typeof condition === 'string') conditions.push(condition);
    else dropped.push(condition.problem);
  }
  return { kind: 'http', config, conditions, dropped, fieldComments };
};

/** JSONata paths Upstate can follow: dotted keys and numeric indexes. */
const SIMPLE_PATH = /^\$?\.?(?:[A-Za-z_][\w]*|\[\d+\])(?:\.[A-Za-z_][\w]*|\[\d+\])*$/;

function jsonQueryCondition(m: KumaMonitor): string | { problem: string } {
  const path = (m.jsonPath ?? '').trim();
  if (!SIMPLE_PATH.test(path)) return { problem: `JSON query ${JSON.stringify(path)} is a JSONata expression Upstate cannot evaluate (only simple paths like data.status)` };
  const variable = `body.$${path.replace(/^\$/, '').replace(/^(?=[A-Za-z_])/, '.')}`;
  const expected = m.expectedValue ?? '';
  const op = m.jsonPathOperator ?? '==';
  let condition: string;
  // Kuma compares the value's text form, so equality uses an anchored regex (matches 42 and "42")
  if (op === '==') condition = `${variable} matches ${conditionString(exactRegex(expected))}`;
  else if (op === '!=') condition = `${variable} not matches ${conditionString(exactRegex(expected))}`;
  else if (['<', '<=', '>', '>='].includes(op) && expected.trim() !== '' && Number.isFinite(Number(expected))) condition = `${variable} ${op} ${Number(expected)}`;
  else if (op === 'contains') condition = `${variable} contains ${conditionString(expected)}`;
  else return { problem: `JSON query operator ${op} with expected value ${JSON.stringify(expected)} has no Upstate equivalent` };
  const problem = conditionProblem(condition);
  return problem ? { problem: `JSON query could not be translated: ${problem}` } : condition;
}

/** port monitors. */
export const mapPort: KumaKindMapper = (m) => {
  if (!m.hostname || !m.port) return { skip: 'port monitor without hostname and port' };
  return { kind: 'tcp', config: { host: m.hostname, port: m.port }, dropped: [] };
};

/** dns monitors. */
export const mapDns: KumaKindMapper = (m) => {
  if (!m.hostname) return { skip: 'DNS monitor without a hostname' };
  const type = (m.dnsResolveType ?? 'A').toUpperCase();
  if (!(DNS_RECORD_TYPES as readonly string[]).includes(type)) return { skip: `DNS record type ${type} is not supported by Upstate (${DNS_RECORD_TYPES.join(', ')})` };
  const config: Record<string, unknown> = { name: m.hostname, type };
  const dropped: string[] = [];
  const servers = (m.dnsResolveServer ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (servers.length) {
    const port = m.port && m.port !== 53 ? m.port : undefined;
    config.resolver = port ? (servers[0].includes(':') ? `[${servers[0]}]:${port}` : `${servers[0]}:${port}`) : servers[0];
    if (servers.length > 1) dropped.push(`only the first resolver (${servers[0]}) is used; Kuma also listed ${servers.slice(1).join(', ')}`);
  }
  return { kind: 'dns', config, dropped };
};

/** push monitors: Upstate's heartbeat check, keeping the token when Upstate accepts it. */
export const mapPush: KumaKindMapper = (m, ctx) => {
  const config: Record<string, unknown> = { period: formatDuration(Math.max(1, m.interval) * 1000) };
  const dropped: string[] = [];
  const fieldComments: Record<string, string[]> = {};
  const retries = m.maxretries > 0 ? m.maxretries * Math.max(m.retryInterval, 1) : 0;
  if (retries >= 1) config.grace = formatDuration(retries * 1000);
  const token = m.pushToken;
  if (token && token.length >= HEARTBEAT_TOKEN_MIN_LENGTH && token.length <= HEARTBEAT_TOKEN_MAX_LENGTH && HEARTBEAT_TOKEN_PATTERN.test(token)) {
    config.token = ctx.secrets.ref([ctx.check, 'push token'], token);
    fieldComments['heartbeat.token'] = ['same token as in Kuma: point the job at <publicUrl>/api/v1/push/<token> (Kuma used /api/push/<token>)'];
  } else {
    dropped.push(
      token
        ? `Kuma's push token is shorter than ${HEARTBEAT_TOKEN_MIN_LENGTH} characters; Upstate logs a new push URL at start — update the job`
        : 'no push token in Kuma; Upstate logs a new push URL at start',
    );
  }
  return { kind: 'heartbeat', config, dropped, fieldComments };
};
