/**
 * How DNS records become the strings that `details.dns.answers`, the `answers` assertion and
 * conditions compare. One canonical form per type, whichever resolver path produced the record:
 * - A: dotted quad; AAAA: compressed lower-case (`2001:db8::1`);
 * - CNAME, NS: lower-case name without the trailing dot;
 * - MX: `<preference> <exchange>` (`10 mail.example.com`);
 * - TXT: the record's character-strings joined (long TXT values are split into 255-byte chunks
 *   on the wire; users think of them as one value).
 * @module
 */
import type { Answer } from 'dns-packet';

/** Record types the dns probe can ask for. */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Lower-case, no trailing dot: DNS names compare case-insensitively and `a.` is `a`. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/** Canonical IPv6 text; the input unchanged when it is not an IPv6 address. */
export function normalizeIpv6(address: string): string {
  try {
    return new URL(`http://[${address.trim()}]/`).hostname.slice(1, -1);
  } catch {
    return address.trim().toLowerCase();
  }
}

/** Canonical text of an MX record. */
export function formatMx(preference: number | undefined, exchange: string): string {
  return `${preference ?? 0} ${normalizeName(exchange)}`;
}

/** Canonical text of a TXT record given its chunks. */
export function formatTxt(chunks: ReadonlyArray<string | Buffer> | string | Buffer): string {
  const list = Array.isArray(chunks) ? chunks : [chunks];
  return list.map((chunk) => (typeof chunk === 'string' ? chunk : chunk.toString('utf8'))).join('');
}

/** Canonical text of a wire answer of the requested type; undefined for other record types. */
export function formatWireAnswer(answer: Answer, type: DnsRecordType): string | undefined {
  if (answer.type !== type) return undefined;
  switch (answer.type) {
    case 'A':
      return answer.data;
    case 'AAAA':
      return normalizeIpv6(answer.data);
    case 'CNAME':
    case 'NS':
      return normalizeName(answer.data);
    case 'MX':
      return formatMx(answer.data.preference, answer.data.exchange);
    case 'TXT':
      return formatTxt(answer.data);
    default:
      return undefined;
  }
}

/** Puts an expected value from config into the canonical form of `type`. */
export function normalizeExpected(value: string, type: DnsRecordType): string {
  switch (type) {
    case 'AAAA':
      return normalizeIpv6(value);
    case 'CNAME':
    case 'NS':
      return normalizeName(value);
    case 'MX': {
      // `mail.example.com` (any preference) or `10 mail.example.com`.
      const match = /^\s*(\d+)\s+(\S+)\s*$/.exec(value);
      return match ? formatMx(Number(match[1]), match[2]) : normalizeName(value);
    }
    default:
      return value.trim();
  }
}

/** True when an expected value (already normalised) is among the canonical answers. */
export function answerPresent(expected: string, answers: readonly string[], type: DnsRecordType): boolean {
  if (type === 'MX' && !expected.includes(' ')) {
    return answers.some((answer) => answer.slice(answer.indexOf(' ') + 1) === expected);
  }
  return answers.includes(expected);
}
