/**
 * Turns any API Gateway / function URL event into a web `Request` for the app: REST API proxy
 * (payload 1.0), HTTP API and function URLs (payload 2.0), and the non-proxy integration event a
 * mapping template builds (the reference design's shape). Header names are case-insensitive
 * (they land in a `Headers`), null maps are empty maps, and a stage prefix (`/Prod`) is removed
 * so the app sees the same paths as behind the Node server.
 * @module
 */
import type { EventShape, HttpV2Event, NonProxyEvent, NullableMap, RestProxyEvent } from './lambda-types.ts';

/** An event that is not an HTTP request in any shape the web handler knows. */
export class UnsupportedEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnsupportedEventError';
  }
}

export interface ConvertedRequest {
  request: Request;
  shape: EventShape;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Recognises the event shape; throws `UnsupportedEventError` for anything else. */
export function eventShape(event: unknown): EventShape {
  if (!isObject(event)) throw new UnsupportedEventError(`expected an HTTP event object, got ${event === null ? 'null' : typeof event}`);
  if (event.version === '2.0' && isObject(event.requestContext) && isObject(event.requestContext.http)) return 'http-v2';
  if (typeof event.httpMethod === 'string') return 'rest-v1';
  if (typeof event.method === 'string') return event.envelope === true ? 'non-proxy-envelope' : 'non-proxy';
  throw new UnsupportedEventError('not an API Gateway or function URL event (no httpMethod, requestContext.http or method)');
}

/** Converts an event of any supported shape. */
export function eventToRequest(event: unknown): ConvertedRequest {
  const shape = eventShape(event);
  if (shape === 'http-v2') return { shape, request: fromHttpV2(event as HttpV2Event) };
  if (shape === 'rest-v1') return { shape, request: fromRestV1(event as RestProxyEvent) };
  return { shape, request: fromNonProxy(event as NonProxyEvent) };
}

function fromRestV1(event: RestProxyEvent): Request {
  const headers = new Headers();
  // multiValueHeaders holds every value; headers only the last, so it fills in what the other lacks
  for (const [name, values] of entries(event.multiValueHeaders)) for (const value of values ?? []) headers.append(name, value);
  for (const [name, value] of entries(event.headers)) if (value != null && !headers.has(name)) headers.set(name, value);
  const query = new URLSearchParams();
  for (const [name, values] of entries(event.multiValueQueryStringParameters)) for (const value of values ?? []) query.append(name, value);
  for (const [name, value] of entries(event.queryStringParameters)) if (value != null && !query.has(name)) query.append(name, value);
  const path = restPath(event);
  // REST APIs do not decompress; their own compression (MinimumCompressionSize) handles gzip.
  headers.delete('accept-encoding');
  return build(event.httpMethod, path, query.toString(), headers, decodeBody(event.body, event.isBase64Encoded), event.requestContext?.domainName);
}

function fromHttpV2(event: HttpV2Event): Request {
  const headers = new Headers();
  for (const [name, value] of entries(event.headers)) if (value != null) headers.set(name, value);
  // payload 2.0 moves cookies out of the headers
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '));
  const path = stripStage(event.rawPath || event.requestContext.http.path || '/', event.requestContext.stage);
  const body = decodeBody(event.body, event.isBase64Encoded);
  return build(event.requestContext.http.method, path, event.rawQueryString ?? '', headers, body, event.requestContext.domainName);
}

function fromNonProxy(event: NonProxyEvent): Request {
  const headers = new Headers();
  for (const [name, value] of entries(event.headers)) if (value != null) headers.set(name, String(value));
  headers.delete('accept-encoding'); // the Lambda's return value is a string in a JSON envelope
  const query = new URLSearchParams();
  for (const [name, value] of entries(isObject(event.query) ? event.query : event.querystring)) if (value != null) query.append(name, String(value));
  const path = stripStage(nonProxyPath(event), event.stage);
  let body: Uint8Array | undefined;
  if (typeof event.bodyBase64 === 'string' && event.bodyBase64 !== '') body = Buffer.from(event.bodyBase64, 'base64');
  else if (typeof event.body === 'string') body = new TextEncoder().encode(event.body);
  else if (event.body !== undefined && event.body !== null && !(isObject(event.body) && Object.keys(event.body).length === 0)) {
    // `$input.json('$')` parsed the body; hand the app JSON again
    body = new TextEncoder().encode(JSON.stringify(event.body));
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return build(event.method, path, query.toString(), headers, body, undefined);
}

/**
 * The path of a REST event without its stage. On the execute-api domain `path` is already
 * stage-less while `requestContext.path` carries the stage; only when they do not differ that
 * way (custom domains, proxies) is a leading `/<stage>` in `path` removed — so a stage named
 * like a route (`api`) never eats the route.
 */
function restPath(event: RestProxyEvent): string {
  const stage = event.requestContext?.stage;
  const contextPath = event.requestContext?.path;
  if (!event.path) return stripStage(contextPath || '/', stage);
  if (stage && contextPath === `/${stage}${event.path}`) return event.path;
  return stripStage(event.path, stage);
}

/**
 * The path of a non-proxy event: a string `path`, else the resource path with its `{param}` /
 * `{param+}` placeholders filled from the path-parameter map. Anything unresolved means `/`.
 */
function nonProxyPath(event: NonProxyEvent): string {
  if (typeof event.path === 'string' && event.path.startsWith('/')) return event.path;
  const template = [event.resourcePath, event.requestPath].find((p): p is string => typeof p === 'string' && p.startsWith('/'));
  if (!template) return '/';
  const params = isObject(event.path) ? (event.path as Record<string, unknown>) : {};
  const filled = template.replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => {
    const value = params[name];
    return typeof value === 'string' ? value.split('/').map(encodeURIComponent).join('/') : whole;
  });
  return filled.includes('{') ? '/' : filled;
}

/** Removes a leading `/<stage>` segment (execute-api URLs and HTTP API named stages carry it). */
export function stripStage(path: string, stage: string | undefined): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  if (!stage || stage === '$default') return clean;
  const prefix = `/${stage}`;
  if (clean === prefix) return '/';
  return clean.startsWith(`${prefix}/`) ? clean.slice(prefix.length) : clean;
}

function entries<T>(map: NullableMap<T>): [string, T | null | undefined][] {
  return isObject(map) ? Object.entries(map as Record<string, T | null | undefined>) : [];
}

function decodeBody(body: string | null | undefined, base64: boolean | undefined): Uint8Array | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  return base64 ? Buffer.from(body, 'base64') : new TextEncoder().encode(body);
}

function build(method: string, path: string, query: string, headers: Headers, body: Uint8Array | undefined, domain: string | undefined): Request {
  const upper = method.toUpperCase();
  const host = headers.get('host') ?? domain ?? 'localhost';
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'http' ? 'http' : 'https';
  let url: URL;
  try {
    url = new URL(`${proto}://${host}`);
  } catch {
    url = new URL('https://localhost'); // a garbage Host header must not break the page
  }
  url.pathname = path;
  url.search = query;
  const hasBody = body !== undefined && upper !== 'GET' && upper !== 'HEAD';
  return new Request(url, { method: upper, headers, body: hasBody ? body : undefined });
}
