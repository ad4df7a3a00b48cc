/**
 * Turns the app's `Response` into what the invoking integration expects:
 * - proxy integrations (REST 1.0, HTTP API / function URL 2.0) get `{ statusCode, headers, body,
 *   isBase64Encoded }`, with every `Set-Cookie` in `multiValueHeaders` (1.0) or `cookies` (2.0)
 *   and binary bodies (images, compressed bodies) base64-encoded;
 * - the non-proxy integration gets the body itself as a string, as in the reference design: its
 *   integration response template (`$input.path('$')`) serves that string as `text/html`.
 *   Such an integration cannot carry the status code, which is why the 401 error page is
 *   rendered as a page (with no status data), not left to the gateway.
 * @module
 */
import type { EventShape, ProxyResult } from './lambda-types.ts';

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
export async function responseToResult(response: Response, shape: EventShape): Promise<ProxyResult | string> {
  const bytes = response.body ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
  const binary = isBinary(response);
  if (shape === 'non-proxy') return binary ? bytes.toString('base64') : bytes.toString('utf8');

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
