/**
 * Email subscriptions: sign-up with double opt-in, confirmation, one-click unsubscribe, and the
 * notices sent when incidents and maintenance change. Sign-ups are rate limited per address and
 * per client address; every email leaves through the rate-limited mail queue.
 *
 * A sign-up answers the same whatever the address's state (new, pending or subscribed), so the
 * form never tells a visitor whether someone else is subscribed.
 * @module
 */
import { createGuessThrottle } from '../kernel/guess-throttle.ts';
import type { Incident } from '../domain/incident.ts';
import type { Subscriber, SubscriptionsPort } from '../storage/ports/subscriptions-port.ts';
import type { SubscriptionsConfig } from './subscriptions-config.ts';
import { createMailQueue, type MailQueue } from './mail-queue.ts';
import { alreadySubscribedEmail, confirmationEmail, noticeEmail, noticeFor, wantsNotice, type NoticeKind } from './subscription-notice.ts';
import { hashToken, newToken, normalizeAddress, sameSecret, subscriberId } from './subscriber-tokens.ts';
import { sendWebhookNotice, webhookNoticeBody } from './webhook-notice.ts';

const HOUR = 3_600_000;

/** Why a sign-up was refused. */
type SignUpRefusal = { reason: 'invalid'; field: 'email' | 'checks' | 'groups'; message: string } | { reason: 'throttled'; retryAfterMs: number };

export interface Subscriptions {
  /** Whether visitors can subscribe by email (`subscriptions.email` is configured). */
  emailEnabled: boolean;
  /** Starts a sign-up: stores it pending and mails a confirmation link. */
  signUp(input: { email: string; checks: string[]; groups: string[] }, clientKey: string): Promise<{ ok: true } | { ok: false; refusal: SignUpRefusal }>;
  /** Whether the link is a live confirmation link (for the page that offers the button). */
  confirmable(id: string, token: string): Promise<boolean>;
  /** Confirms a pending sign-up; false when the link is wrong or expired. */
  confirm(id: string, token: string): Promise<boolean>;
  /** Whether the link is a live unsubscribe link. */
  subscribed(id: string, token: string): Promise<boolean>;
  /** Ends a subscription; false when the link is wrong (or it already ended). */
  unsubscribe(id: string, token: string): Promise<boolean>;
  /** Called after an incident was saved: mails the subscribers who want to know. */
  incidentSaved(previous: Incident | undefined, next: Incident): Promise<void>;
  /** Mails one notice to the subscribers who want it; maintenance notices only once (claimed in the store). */
  announce(kind: NoticeKind, incident: Incident): Promise<void>;
}

interface SubscriptionsLogger {
  warn(obj: unknown, msg?: string): void;
}

/** Builds subscriptions over a store: email when `config.email` is set, and `config.webhooks`. */
export function createSubscriptions(deps: {
  config: SubscriptionsConfig;
  store: SubscriptionsPort;
  checks: readonly { name: string; group?: string }[];
  pageTitle: string;
  publicUrl: string;
  now: () => number;
  logger?: SubscriptionsLogger;
  queue?: MailQueue;
}): Subscriptions {
  const { config, store, now } = deps;
  const base = deps.publicUrl.replace(/\/+$/, '');
  const email = config.email;
  const queue = deps.queue ?? (email && createMailQueue({ smtp: email.smtp, sendsPerMinute: config.rateLimit.sendsPerMinute, logger: deps.logger, now }));
  const perHour = (n: number) => createGuessThrottle({ burst: n, refillPerSecond: n / 3600 });
  const perAddress = perHour(config.rateLimit.perAddressPerHour);
  const perClient = perHour(config.rateLimit.perClientPerHour);
  const checkNames = new Set(deps.checks.map((c) => c.name));
  const groupOfCheck = new Map(deps.checks.map((c) => [c.name, c.group]));
  const groupNames = new Set(deps.checks.flatMap((c) => (c.group ? [c.group] : [])));
  const link = (path: string, s: Pick<Subscriber, 'id'>, token: string) => `${base}${path}?id=${s.id}&token=${encodeURIComponent(token)}`;
  const unsubscribeUrl = (s: Subscriber) => link('/subscribe/unsubscribe', s, s.unsubscribeToken);
  let lastPrune = 0;
  const announce = async (kind: NoticeKind, incident: Incident) => {
    // a window's start and end may be seen by a save and by the schedule watch, on any instance
    if (kind.startsWith('maintenance-') && !(await store.claimNotice(`${kind}:${incident.id}`, now()))) return;
    const groupOf = (check: string) => groupOfCheck.get(check);
    for (const target of config.webhooks ?? []) {
      if (!wantsNotice(target, incident, groupOf)) continue;
      const sentAt = now();
      const body = webhookNoticeBody(kind, incident, { title: deps.pageTitle, url: base }, sentAt);
      sendWebhookNotice(target, body, sentAt).catch((error) =>
        deps.logger?.warn({ err: (error as Error).message, notifier: target.notifier, event: kind }, 'subscription webhook not delivered'),
      );
    }
    if (!queue) return;
    const recipients = (await store.listConfirmedSubscribers()).filter((s) => wantsNotice(s, incident, groupOf));
    queue.enqueue(
      recipients.map((s) => noticeEmail(kind, incident, s.email, { pageTitle: deps.pageTitle, publicUrl: base, unsubscribeUrl: unsubscribeUrl(s) })),
    );
  };

  // ids are 32 hex characters: anything else is not looked up
  const find = async (id: string): Promise<Subscriber | undefined> => (/^[0-9a-f]{32}$/.test(id) ? store.getSubscriber(id) : undefined);

  return {
    emailEnabled: queue !== undefined,

    async signUp(input, clientKey) {
      const t = now();
      if (!email || !queue) return { ok: false, refusal: { reason: 'invalid', field: 'email', message: 'Email subscriptions are not enabled on this page.' } };
      const address = normalizeAddress(input.email);
      if (!address) return { ok: false, refusal: { reason: 'invalid', field: 'email', message: 'Enter an email address like name@example.com.' } };
      const unknownCheck = input.checks.find((c) => !checkNames.has(c));
      if (unknownCheck !== undefined) return { ok: false, refusal: { reason: 'invalid', field: 'checks', message: `There is no component named ${unknownCheck}.` } };
      const unknownGroup = input.groups.find((g) => !groupNames.has(g));
      if (unknownGroup !== undefined) return { ok: false, refusal: { reason: 'invalid', field: 'groups', message: `There is no group named ${unknownGroup}.` } };
      const id = subscriberId(address);
      const wait = Math.max(perClient.retryAfterMs(clientKey, t), perAddress.retryAfterMs(id, t));
      if (wait > 0) return { ok: false, refusal: { reason: 'throttled', retryAfterMs: wait } };
      perClient.fail(clientKey, t);
      perAddress.fail(id, t);
      if (t - lastPrune > HOUR) {
        lastPrune = t;
        await store.pruneSubscribers(t);
      }
      const existing = await store.getSubscriber(id);
      if (existing?.confirmed) {
        queue.enqueue([alreadySubscribedEmail(address, unsubscribeUrl(existing), deps.pageTitle)]);
        return { ok: true };
      }
      const token = newToken();
      const subscriber: Subscriber = {
        id,
        email: address,
        checks: [...new Set(input.checks)],
        groups: [...new Set(input.groups)],
        confirmed: false,
        confirmHash: hashToken(token),
        confirmExpiresAt: t + email.confirmWithinMs,
        unsubscribeToken: existing?.unsubscribeToken ?? newToken(),
        createdAt: existing?.createdAt ?? t,
      };
      await store.saveSubscriber(subscriber);
      queue.enqueue([confirmationEmail(address, link('/subscribe/confirm', subscriber, token), deps.pageTitle, Math.round(email.confirmWithinMs / HOUR))]);
      return { ok: true };
    },

    async confirmable(id, token) {
      const s = await find(id);
      return s !== undefined && !s.confirmed && (s.confirmExpiresAt ?? 0) > now() && sameSecret(s.confirmHash, hashToken(token));
    },

    async confirm(id, token) {
      const s = await find(id);
      if (!s || s.confirmed || (s.confirmExpiresAt ?? 0) <= now() || !sameSecret(s.confirmHash, hashToken(token))) return false;
      const { confirmHash: _hash, confirmExpiresAt: _expiry, ...rest } = s;
      await store.saveSubscriber({ ...rest, confirmed: true, confirmedAt: now() });
      return true;
    },

    async subscribed(id, token) {
      const s = await find(id);
      return s !== undefined && sameSecret(s.unsubscribeToken, token);
    },

    async unsubscribe(id, token) {
      const s = await find(id);
      if (!s || !sameSecret(s.unsubscribeToken, token)) return false;
      await store.deleteSubscriber(id);
      return true;
    },

    async incidentSaved(previous, next) {
      const kind = noticeFor(previous, next);
      if (kind) await announce(kind, next);
    },

    announce,
  };
}
