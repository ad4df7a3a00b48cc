/**
 * The `alerts.ackLinks` schema (ack-link.ts signs and checks the links). Apart from the links'
 * code so that a process given an already validated config (the Lambda functions) signs links
 * without loading the config schemas.
 * @module
 */
import { z } from 'zod';
import { duration } from '../kernel/duration.ts';
import type { AckLinksConfig } from './ack-link.ts';

export const ackLinksSchema = z.strictObject({
  /** HMAC key, shared by every instance (from the environment: `${ACK_LINK_SECRET}`). */
  secret: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
  /** How long a link works after its message was written. */
  ttl: duration.refine((ms) => ms >= 60_000 && ms <= 30 * 86_400_000, 'must be between 1m and 30d').default(86_400_000),
}) satisfies z.ZodType<AckLinksConfig>;
