/**
 * The one table from Gatus endpoint types (chosen by the URL scheme, or a `dns:` block) to Upstate
 * check kinds: one line per scheme; the non-HTTP mappers are in gatus-socket-kinds.ts.
 * @module
 */
import { hasEnvRef, keepEnvRefs } from './gatus-values.ts';
import { hostPort, mapGrpc, mapHeaders, mapIcmp, mapSsh, mapStarttls, mapUdp, mapWebsocket } from './gatus-socket-kinds.ts';
import { isHttpUrl } from '../mapping-helpers.ts';
import type { SecretBook } from '../secret-book.ts';

export type Loose = Record<string, unknown>;

type EndpointMapping = { kind: string; config: Record<string, unknown>; dropped: string[] } | { skip: string };
export type GatusKindMapper = (endpoint: Loose, url: string, secrets: SecretBook) => EndpointMapping;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const mapHttp: GatusKindMapper = (e, url, secrets) => {
  if (!isHttpUrl(url.replace(/^\$\{?\w+\}?/, 'http://env.invalid').replace(/\$\{?\w+\}?/g, 'x'))) return { skip: `URL ${url} is not an absolute http(s) URL` };
  const dropped: string[] = [];
  const client = (e.client ?? {}) as Loose;
  // Gatus has no implicit status check: its conditions decide, so every status reaches them
  const config: Record<string, unknown> = { url: hasEnvRef(url) ? keepEnvRefs(url, secrets) : url, expectStatus: '100-599' };
  const method = String(e.method ?? 'GET').toUpperCase();
  if (METHODS.has(method)) {
    if (method !== 'GET') config.method = method;
  } else dropped.push(`method ${method} is not supported`);
  if (typeof e.body === 'string' && e.body !== '') config.body = keepEnvRefs(e.body, secrets);
  const headers = mapHeaders(e.headers, secrets, String(e.name ?? 'endpoint'));
  if (headers && Object.keys(headers).length) config.headers = headers;
  if (client['ignore-redirect'] === true) config.followRedirects = false;
  if (client.insecure === true) config.tls = { verify: false };
  if (e.graphql === true) dropped.push('graphql: true (the body is sent as is, not wrapped as a GraphQL query)');
  for (const key of ['oauth2', 'identity-aware-proxy', 'proxy-url', 'tls', 'dns-resolver', 'network']) {
    if (client[key] !== undefined) dropped.push(`client.${key} is not supported`);
  }
  return { kind: 'http', config, dropped };
};

const mapTcp: GatusKindMapper = (_e, url) => {
  const target = hostPort(url);
  return target ? { kind: 'tcp', config: target, dropped: [] } : { skip: `${url} needs host:port` };
};

const mapTls: GatusKindMapper = (_e, url) => {
  const target = hostPort(url, 443);
  return target ? { kind: 'tls', config: target, dropped: [] } : { skip: `${url} needs host:port` };
};

/** Endpoint types by URL scheme. */
const gatusEndpointKinds = {
  http: mapHttp,
  https: mapHttp,
  tcp: mapTcp,
  tls: mapTls,
  icmp: mapIcmp,
  udp: mapUdp,
  starttls: mapStarttls,
  ssh: mapSsh,
  ws: mapWebsocket,
  wss: mapWebsocket,
  grpc: mapGrpc,
  grpcs: mapGrpc,
  sctp: () => ({ skip: 'SCTP is not supported' }),
} satisfies Record<string, GatusKindMapper>;

/** `dns:` endpoints: the URL is the resolver. */
const mapGatusDns: GatusKindMapper = (e, url) => {
  const dns = (e.dns ?? {}) as Loose;
  const name = String(dns['query-name'] ?? '').trim();
  const type = String(dns['query-type'] ?? 'A').toUpperCase();
  if (!name) return { skip: 'dns endpoint without query-name' };
  if (!['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'].includes(type)) return { skip: `DNS query type ${type} is not supported by Upstate` };
  const resolver = url.replace(/^[a-z]+:\/\//i, '').replace(/\/$/, '');
  return { kind: 'dns', config: { name: name.replace(/\.$/, '') || name, type, resolver }, dropped: [] };
};

/** The mapper for an endpoint. */
export function gatusKindMapper(e: Loose): { mapper: GatusKindMapper; url: string } {
  const url = String(e.url ?? '').trim();
  if (e.dns) return { mapper: mapGatusDns, url };
  // a URL that starts with an environment reference is an http(s) URL once Gatus expands it
  const scheme = url.startsWith('$') ? 'http' : (/^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase() ?? '');
  const mapper = (gatusEndpointKinds as Record<string, GatusKindMapper>)[scheme] ?? (() => ({ skip: `URL scheme "${scheme || url}" is not supported` }));
  return { mapper, url };
}
