/**
 * Clipping to a channel's documented length limits. A receiver that gets a field over its limit
 * refuses the whole message (Slack answers 400 to a section over 3,000 characters), so every
 * payload builder clips its free-text fields and marks the cut with an ellipsis.
 * @module
 */

const ELLIPSIS = '…';

/** Cuts before `end` without splitting a surrogate pair. */
function cut(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/** `text` if it has at most `max` UTF-16 units, else its start plus `…`, `max` units in all. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${cut(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

/**
 * Clips `raw` so that `escape(clipped)` has at most `max` units. The raw text is cut, never the
 * escaped one, so an entity like `&amp;` is never cut in half.
 */
export function clipEscaped(raw: string, max: number, escape: (text: string) => string): string {
  let escaped = escape(raw);
  if (escaped.length <= max) return escaped;
  let keep = Math.min(raw.length, max - ELLIPSIS.length);
  for (;;) {
    escaped = escape(cut(raw, keep)) + ELLIPSIS;
    if (escaped.length <= max || keep <= 0) return escaped;
    // each raw character escapes to at least one unit: drop at least the overflow
    keep -= Math.max(1, escaped.length - max);
  }
}

/** Clips a string to at most `maxBytes` bytes of UTF-8 (SNS and PagerDuty count bytes). */
export function clipBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let keep = Math.min(text.length, maxBytes);
  while (keep > 0 && Buffer.byteLength(cut(text, keep)) + 3 > maxBytes) keep -= Math.max(1, Math.ceil((Buffer.byteLength(cut(text, keep)) + 3 - maxBytes) / 3));
  return `${cut(text, keep)}${ELLIPSIS}`;
}
