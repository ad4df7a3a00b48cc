/**
 * Config fields shared by the postgres, mysql and redis kinds, and the one way their `expect`
 * is judged. Each kind keeps its own schema (redis has no SQL, no user by default, its own
 * commands), but the connection, TLS and expectation fields read the same everywhere.
 * @module
 */
import { z } from 'zod';
import { caSchema } from '../tls/ca-schema.ts';
import { DEFAULT_MAX_REPLY_BYTES } from './byte-cap.ts';
import { describePattern, excerpt, matchesPattern } from '../tcp/text-pattern.ts';
import { regexPatternSchema } from '../tcp/text-pattern-schema.ts';

const port = z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535');

/** `host`, `port` (kind default), and TLS. Credentials are added per kind. */
export function connectionFields(defaultPort: number) {
  return {
    host: z.string().trim().min(1, 'must be a host name or IP address'),
    port: port.default(defaultPort),
    /**
     * `true` (verify against the system roots), or options. Off by default, as the servers'
     * own defaults are; the certificate is verified whenever TLS is on unless `verify: false`.
     */
    tls: z
      .union([
        z.boolean(),
        z.strictObject({ verify: z.boolean().default(true), ca: caSchema.optional(), servername: z.string().trim().min(1).optional() }),
      ])
      .default(false),
  };
}

/** Bytes a check may read from its server before it stops reading (see byte-cap.ts). */
export const maxReplyBytesSchema = z.number().int().min(1024).max(64 * 1024 * 1024).default(DEFAULT_MAX_REPLY_BYTES);

/**
 * The config of the SQL kinds (postgres, mysql): connection fields, a login (the password usually
 * `${ENV}`; never logged, shown or stored), and one read-only query whose first column of its
 * first row is `result`, judged by `expect`.
 */
export function sqlConfigSchema(defaultPort: number, defaultUser: string) {
  return z
    .strictObject({
      ...connectionFields(defaultPort),
      user: z.string().min(1, 'must not be empty').default(defaultUser),
      password: z.string().optional(),
      database: z.string().min(1).optional(),
      query: z.string().trim().min(1, 'must not be empty').optional(),
      /** What the first value must be (exact text, or `{ regex }`); needs `query`. */
      expect: expectValueSchema.optional(),
      maxReplyBytes: maxReplyBytesSchema,
    })
    .refine((config) => config.expect === undefined || config.query !== undefined, { message: 'expect needs a query', path: ['expect'] });
}

/** An exact scalar, or `{ regex }`, matched against the text form of the first value returned. */
export const expectValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  regexPatternSchema,
]);

export type ExpectValue = z.output<typeof expectValueSchema>;

/** The text form a value is compared in: drivers disagree on types (bigint as string, …). */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Undefined when `actual` meets `expected`, else a message for a `body` failure. */
export function checkExpected(expected: ExpectValue, actual: unknown, what: string): string | undefined {
  const text = valueText(actual);
  if (expected !== null && typeof expected === 'object') {
    if (matchesPattern(expected, text)) return undefined;
    return `${what} is ${excerpt(text)}, expected ${describePattern(expected)}`;
  }
  if (text === valueText(expected)) return undefined;
  return `${what} is ${excerpt(text)}, expected ${JSON.stringify(expected)}`;
}

/** JSON-safe, bounded copy of a result value for `details` (conditions read it as `result`). */
export function detailValue(value: unknown, maxChars = 1024): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  const text = valueText(value);
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
