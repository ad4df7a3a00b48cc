/**
 * Turns the app's `Response` into what the invoking integration expects:
 * - proxy integrations (REST 1.0, HTTP API / function URL 2.0) get `{ statusCode, headers, body,
 *   isBase64Encoded }`, with every `Set-Cookie` in `multiValueHeaders` (1.0) or `cookies` (2.0)
 *   and binary bodies (images, compressed bodies) base64-encoded;
 * - the non-proxy integration gets, when its request template sets `"envelope": true` (the
 *   templates in deploy/aws/template.yaml do), a `NonProxyEnvelope` whose status and headers the
 *   response template applies through `$context.responseOverride`, so a 401 is a 401; without
 *   it, the body itself as a string, as in the reference design (then every answer is a 200, and
 *   the 401 error page is still a page with no status data).
 * @module
 */
import type { EventShape, NonProxyEnvelope, ProxyResult } from './lambda-types.ts';

/** Content types sent as text; everything else (images, archives, compressed bodies) is base64. */
const TEXT_TYPE = /^(?:text\/|application\/(?:json|[\w.+-]*\+json|[\w.+-]*\+xml|xml|javascript|x-ndjson)|image\/svg\+xml)/i;

/** True when the response body must be base64-encoded for the gateway. */
function isBinary(response: Response): boolean {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return true;
  const type = response.headers.get('content-type');
  return type !== null && !TEXT_TYPE.test(type);
}

/** Converts a response for the given event shape. */
export async function responseToResult(response: Response, shape: EventShape): Promise<ProxyResult | NonProxyEnvelope | string> {
  const bytes = response.body ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
  const binary = isBinary(response);
  if (shape === 'non-proxy') return binary ? bytes.toString('base64') : bytes.toString('utf8');
  if (shape === 'non-proxy-envelope') {
    const header = (name: string) => response.headers.get(name) ?? '';
    return {
      status: response.status,
      contentType: header('content-type'),
      cacheControl: header('cache-control'),
      etag: header('etag'),
      lastModified: header('last-modified'),
      location: header('location'),
      body: binary ? bytes.toString('base64') : bytes.toString('utf8'),
      isBase64Encoded: binary,
    };
  }

  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  const result: ProxyResult = {
    statusCode: response.status,
    headers,
    body: binary ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: binary,
  };
  if (cookies.length && shape === 'http-v2') result.cookies = cookies;
  if (cookies.length && shape === 'rest-v1') result.multiValueHeaders = { 'set-cookie': cookies };
  return result;
}
