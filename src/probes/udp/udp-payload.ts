/**
 * Payloads and expectations of the `udp` probe: text, or bytes written as hex (`{ hex: "deadbeef" }`)
 * for binary protocols such as DNS, NTP or game servers.
 * @module
 */
import { z } from 'zod';
import { describePattern, matchesPattern, type TextPattern } from '../tcp/text-pattern.ts';
import { textPatternSchema } from '../tcp/text-pattern-schema.ts';

const hexText = z
  .string()
  .transform((value) => value.replace(/[\s:]/g, ''))
  .refine((value) => value.length > 0 && value.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(value), 'must be an even number of hex digits, e.g. "de ad be ef"');

/** Text (UTF-8) or `{ hex }`; spaces and colons in hex are ignored. */
export const payloadSchema = z.union([z.string().min(1, 'must not be empty'), z.strictObject({ hex: hexText })]);
export type Payload = z.output<typeof payloadSchema>;

/** A substring, `{ regex, flags }`, or `{ hex }` bytes the reply must contain. */
export const replyPatternSchema = z.union([textPatternSchema, z.strictObject({ hex: hexText })]);
export type ReplyPattern = z.output<typeof replyPatternSchema>;

/** The bytes to send. */
export function payloadBytes(payload: Payload): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.hex, 'hex');
}

/** True when the reply matches: hex as bytes anywhere in it, text patterns on its UTF-8 text. */
export function replyMatches(pattern: ReplyPattern, reply: Buffer): boolean {
  if (typeof pattern === 'object' && 'hex' in pattern) return reply.includes(Buffer.from(pattern.hex, 'hex'));
  return matchesPattern(pattern as TextPattern, reply.toString('utf8'));
}

/** Display form: `"pong"`, `/^pong/i`, or `hex 0a0b…`. */
export function describeReplyPattern(pattern: ReplyPattern): string {
  if (typeof pattern === 'object' && 'hex' in pattern) return `hex ${pattern.hex.length > 32 ? `${pattern.hex.slice(0, 32)}…` : pattern.hex}`;
  return describePattern(pattern as TextPattern);
}

/** A short, safe rendering of peer bytes: text when printable, hex otherwise. */
export function excerptBytes(reply: Buffer, max = 48): string {
  const head = reply.subarray(0, max);
  const text = head.toString('utf8');
  const printable = /^[\x20-\x7e\r\n\t]*$/.test(text);
  const more = reply.length > max ? '…' : '';
  return printable ? JSON.stringify(text + more) : `hex ${head.toString('hex')}${more}`;
}
