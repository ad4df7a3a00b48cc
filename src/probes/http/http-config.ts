/**
 * The `http` check's config schema. Strict (unknown keys are errors) and self-describing: every
 * default below is the documented default.
 * @module
 */
import { z } from 'zod';
import { caSchema } from '../tls/ca-schema.ts';
import { regexSchema, textPatternSchema } from '../tcp/text-pattern-schema.ts';
import { parseJsonPath } from '../../kernel/json-path.ts';
import { DEFAULT_STATUS_RANGES } from './status-ranges.ts';
import { expectStatusSchema } from './status-ranges-schema.ts';
import { isHttpUrl } from '../../kernel/http-url.ts';

/** Default cap on bytes read from a response body; past it the connection is dropped. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;


const authSchema = z.union(
  [
    z.strictObject({ basic: z.strictObject({ username: z.string(), password: z.string() }) }),
    z.strictObject({ bearer: z.string().min(1, 'must not be empty') }),
  ],
  { error: 'must be { basic: { username, password } } or { bearer: token }' },
);

export const httpConfigSchema = z.strictObject({
  url: z.string().trim().refine(isHttpUrl, 'must be an absolute http(s) URL'),
  method: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(METHODS, { error: `must be one of ${METHODS.join(', ')}` }))
    .default('GET'),
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~\w-]+$/, 'must be a valid header name'), z.string()).optional(),
  /** Request body: a string as is, anything else as JSON (with a JSON content-type unless set). */
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  /** Accepted statuses; default 200-399 (any success, or a redirect when not following). */
  expectStatus: expectStatusSchema.default(DEFAULT_STATUS_RANGES),
  /** Substring the body must contain. */
  bodyContains: z.string().min(1).optional(),
  /** Regular expression the body must match. */
  bodyMatches: regexSchema.optional(),
  /** JSON-path → expected value (deep equality), e.g. `$.status: ok`. */
  json: z
    .record(z.string(), z.unknown())
    .superRefine((record, ctx) => {
      for (const path of Object.keys(record)) {
        const parsed = parseJsonPath(path);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [path], message: `must be a JSON path like $.status or $.items[0].id: ${parsed.error}` });
      }
    })
    .optional(),
  /** Header name → substring or `{ regex }` its value must match. */
  headersMatch: z.record(z.string().min(1), textPatternSchema).optional(),
  followRedirects: z.boolean().default(true),
  maxRedirects: z.number().int().min(0).max(20, 'must be at most 20').default(5),
  tls: z.strictObject({ verify: z.boolean().default(true), ca: caSchema.optional() }).default({ verify: true }),
  auth: authSchema.optional(),
  ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
  /**
   * Reuse an open connection to the same origin left by an earlier check (default true; a kept
   * connection is closed after 2 s idle or 10 s of age). `false`: a new, timed connection every run.
   */
  reuseConnection: z.boolean().optional(),
  /** Bytes of body read before the connection is dropped (default 1 MiB). */
  maxBodyBytes: z.number().int().min(1).max(100 * 1024 * 1024).default(DEFAULT_MAX_BODY_BYTES),
});

export type HttpConfig = z.output<typeof httpConfigSchema>;

/**
 * `config` rebuilt with the fields every http config has (after defaults) in one literal. Zod
 * builds its output by adding fields to an empty object, so past its four in-object slots the
 * rest go to a separate property array (40 bytes per check at 100,000 checks); a literal holds
 * them all in the object. Optional fields are added after, only where set.
 */
export function httpConfigLiteral(config: HttpConfig): HttpConfig {
  const { url, method, expectStatus, followRedirects, maxRedirects, tls, maxBodyBytes, ...optional } = config;
  const literal: HttpConfig = { url, method, expectStatus, followRedirects, maxRedirects, tls, maxBodyBytes };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(literal, { [key]: value });
  return literal;
}
