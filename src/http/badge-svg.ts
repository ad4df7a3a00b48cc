/**
 * Shields-style flat SVG badges ("label | message"), drawn here so a badge costs no external
 * request. Text widths are estimated from Verdana 11px character classes, close enough that
 * labels neither clip nor float.
 * @module
 */

/** Shields' named colours. */
export const BADGE_COLOURS = {
  brightgreen: '#4c1',
  green: '#97ca00',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  grey: '#9f9f9f',
} as const;

/** Escapes text for SVG/XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Approximate rendered width of `text` in Verdana 11px. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if ('iljI.,:;|!\'`'.includes(ch)) width += 3.5;
    else if ('frt() -/[]'.includes(ch)) width += 4.8;
    else if ('mwMW%@'.includes(ch)) width += 10.5;
    else if (/[A-Z]/.test(ch)) width += 7.6;
    else if (/[0-9]/.test(ch)) width += 7;
    else width += 6.6;
  }
  return Math.ceil(width);
}

/** One badge as an SVG document with an accessible title. */
export function badgeSvg(label: string, message: string, colour: string): string {
  const lw = textWidth(label) + 10;
  const mw = textWidth(message) + 10;
  const total = lw + mw;
  const l = escapeXml(label);
  const m = escapeXml(message);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${l}: ${m}">` +
    `<title>${l}: ${m}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${colour}"/><rect width="${total}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>` +
    `<text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${m}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`
  );
}
