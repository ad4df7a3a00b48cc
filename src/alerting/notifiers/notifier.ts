/**
 * The notifier plug-in contract: `{ kind, schema, send }`. The `notifiers:` config schema is
 * derived from the registry (notifiers/registry.ts), so adding a channel kind is one folder and
 * one line there. Each kind keeps its payload builder pure and separate from `send`, so the
 * message a person sees is unit-tested without any network.
 * @module
 */
import type { z } from 'zod';
import type { AlertEvent } from '../../domain/alert.ts';

/** What `send` may use. Everything is passed in; notifiers keep no globals. */
interface SendContext {
  /** Aborted when the channel's timeout passes or the process stops; `send` must honour it. */
  signal: AbortSignal;
}

export interface Notifier<Config = any> {
  /** The value of `kind:` that selects this notifier in `notifiers:`. */
  kind: string;
  /** Validates the kind's own fields (strict: unknown keys are errors). */
  schema: z.ZodType<Config>;
  /**
   * Delivers one event. Resolves once the receiver confirmed it; rejects (with a
   * `DeliveryError` whenever the failure is understood) so the dispatcher can retry.
   */
  send(event: AlertEvent, config: Config, ctx: SendContext): Promise<void>;
}

/**
 * What delivery needs of each kind: `send` only. The registry (registry.ts) fits it, and so does
 * lazy-registry.ts, which imports a kind's module on its first send.
 */
export type NotifierSenders = Record<string, Pick<Notifier, 'send'>>;

/** Identity helper that keeps a notifier's config type checked against its schema. */
export function defineNotifier<Config>(notifier: Notifier<Config>): Notifier<Config> {
  return notifier;
}

/** A delivery the receiver refused or never confirmed. `retryable: false` for permanent refusals. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable ?? true;
  }
}

/** A short, single-line description of any failure, for `Notification.lastError`. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name === 'Error' || error.name === 'DeliveryError' ? '' : `${error.name}: `;
    return `${name}${error.message}`.replace(/\s+/g, ' ').slice(0, 500);
  }
  return String(error).slice(0, 500);
}
