/**
 * Hides the secrets people put in URLs before a message leaves Upstate: userinfo
 * (`https://user:pass@…`) and the value of every query and fragment parameter (`?apikey=…`,
 * `#access_token=…`), keeping the scheme, host, path and parameter names so the message still
 * says which endpoint failed. A check can opt out (`alerts.unredactedChecks`).
 * @module
 */

/** A URL inside free text: a scheme, `://`, then anything up to whitespace or a quote/bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?)\]}]+$/;
const MASK = '***';

function maskParameters(part: string): string {
  return part
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? pair : `${pair.slice(0, at)}=${MASK}`;
    })
    .join('&');
}

function redactUrl(found: string): string {
  const tail = TRAILING.exec(found)?.[0] ?? '';
  const url = found.slice(0, found.length - tail.length);
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!match) return found;
  const [, scheme, authority, path, query = '', fragment = ''] = match;
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : `${MASK}@${authority.slice(at + 1)}`;
  const maskedQuery = query ? `?${maskParameters(query.slice(1))}` : '';
  const maskedFragment = fragment.includes('=') ? `#${maskParameters(fragment.slice(1))}` : fragment;
  return `${scheme}${host}${path}${maskedQuery}${maskedFragment}${tail}`;
}

/** `text` with every URL in it redacted. */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, redactUrl);
}
