/**
 * Redirect following, done by the probe itself rather than by undici so that loops and long
 * chains become clear failures ("redirect loop: /a → /b → /a") and each hop gets a fresh,
 * measured connection. Redirect failures are class `status`: an answer arrived, but its status
 * was a redirect we would not follow to the end.
 * @module
 */
import type { Failure } from '../../domain/result.ts';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface RedirectInput {
  status: number;
  headers: Record<string, string>;
  url: URL;
  method: string;
  /** Every URL requested so far, first one first. */
  visited: readonly string[];
  maxRedirects: number;
}

/** Where to go next, a failure, or undefined when the response is not a followable redirect. */
export type NextHop = { url: URL; method: string } | { failure: Failure } | undefined;

function short(href: string, base: URL): string {
  const url = new URL(href);
  return url.origin === base.origin ? url.pathname + url.search : href;
}

/** Decides the next hop for a redirect response (fetch semantics for the method change). */
export function nextHop(input: RedirectInput): NextHop {
  const location = input.headers.location;
  if (!REDIRECT_STATUSES.has(input.status) || !location) return undefined;
  let url: URL;
  try {
    url = new URL(location, input.url);
  } catch {
    return { failure: { class: 'protocol', message: `status ${input.status} with an invalid Location header ${JSON.stringify(location.slice(0, 200))}` } };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { failure: { class: 'protocol', message: `status ${input.status} redirects to a non-http URL (${url.protocol})` } };
  }
  url.hash = '';
  const first = new URL(input.visited[0]);
  if (input.visited.includes(url.href)) {
    const loop = [...input.visited.slice(input.visited.indexOf(url.href)), url.href].map((href) => short(href, first));
    return { failure: { class: 'status', message: `redirect loop: ${loop.join(' → ')}` } };
  }
  if (input.visited.length > input.maxRedirects) {
    return { failure: { class: 'status', message: `too many redirects (more than ${input.maxRedirects}; last to ${short(url.href, first)})` } };
  }
  const toGet = input.status === 303 ? input.method !== 'HEAD' : (input.status === 301 || input.status === 302) && input.method === 'POST';
  return { url, method: toGet ? 'GET' : input.method };
}
