/**
 * The outbox dispatcher: claims due notifications from the store with a lease, sends each with
 * its channel's notifier under the channel's timeout, then confirms it or schedules a retry.
 *
 * - Each channel has its own queue and concurrency, so a slow or dead channel never delays the
 *   others (nor the checks: nothing here runs on the result path).
 * - A claimed notification is sent only while its lease still covers the whole send; otherwise
 *   it is left for the next claim, so two instances never send the same one at once.
 * - The store hands out only the first pending message of each alert on each channel, so a
 *   RESOLVED never overtakes its FIRING; finishing a send polls again for the message behind it.
 * - A message given up for good raises the channel's own "alert channel failing" alert on the
 *   other channels (channel-health.ts); the channel's next confirmed delivery resolves it.
 * - Stopping aborts in-flight sends without recording them: an unconfirmed delivery goes back to
 *   the outbox when its lease ends and is sent again (at least once); a confirmed one never is.
 * @module
 */
import type { Notification } from '../domain/alert.ts';
import type { Store } from '../storage/store.ts';
import type { NotificationCompletion } from '../storage/ports/alerts-port.ts';
import type { Clock } from '../kernel/clock.ts';
import type { NotifiersConfig } from './alerts-config.ts';
import type { NotifierSenders } from './notifiers/notifier.ts';
import { DeliveryError, describeFailure } from './notifiers/notifier.ts';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './retry-policy.ts';
import { silentLogger, type AlertingLogger } from './alerting-logger.ts';
import { createChannelHealth, type ChannelHealthStore } from './channel-health.ts';
import { groupEvent, groupKey, type GroupField } from './group-message.ts';
import { applyChannelTemplates } from './channel-templates.ts';

export type DispatcherStore = Pick<Store, 'claimNotifications' | 'completeNotifications'> & ChannelHealthStore;

/** How one delivery attempt ended: confirmed, failed with a retry to come, or given up. */
export type DeliveryOutcome = 'sent' | 'retry' | 'failed';

export interface DispatcherOptions {
  /** How often the outbox is polled when nothing woke the dispatcher. */
  pollMs: number;
  /** Lease on claimed notifications; must exceed the longest channel timeout. */
  leaseMs: number;
  /** Most notifications held (queued or in flight) by this instance at once; also the claim size. */
  batch: number;
  retry: RetryPolicy;
  /** alerts.grouping.by: messages of one channel claimed together with the same values go out as one. */
  groupBy?: readonly GroupField[];
}

const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = { pollMs: 5_000, leaseMs: 120_000, batch: 50, retry: DEFAULT_RETRY_POLICY };

export interface DispatcherDeps {
  store: DispatcherStore;
  channels: NotifiersConfig;
  registry: NotifierSenders;
  clock: Clock;
  /** Identity of this instance in leases. */
  owner: string;
  options?: Partial<DispatcherOptions>;
  logger?: AlertingLogger;
  random?: () => number;
  /** Told about every delivery attempt (metrics). */
  onDelivery?(channel: string, outcome: DeliveryOutcome): void;
}

export interface Dispatcher {
  start(): void;
  /** Stops polling and aborts in-flight sends (left unconfirmed, so they are sent again later). */
  stop(): Promise<void>;
  /** Polls now (e.g. right after a transition enqueued notifications). */
  wake(): void;
  /** One poll: claims due notifications and starts sending them; returns how many were claimed. */
  poll(): Promise<number>;
  /** Polls until nothing is due and nothing is in flight (tests, shutdown flush). Bounded. */
  drain(maxRounds?: number): Promise<void>;
}

/** One send: a single message, or several of one group (alerts.grouping) sent as one. */
interface Queued {
  notifications: Notification[];
  leaseUntil: number;
  /** `enqueued` when this was claimed: a later value means a successor may wait behind it. */
  enqueuedAtClaim: number;
  /** Claimed when rows may have been held back (see `unsure`): claim again once it is done. */
  recheck: boolean;
}

/** Margin kept between the end of a send's timeout and the end of its lease. */
const LEASE_MARGIN_MS = 1_000;

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const configured = { ...DEFAULT_DISPATCHER_OPTIONS, ...deps.options };
  // a lease shorter than a send could never be used: keep room for two sends of the slowest channel
  const slowest = Math.max(0, ...Object.values(deps.channels).map((c) => c.timeoutMs));
  const options = { ...configured, leaseMs: Math.max(configured.leaseMs, 2 * slowest + LEASE_MARGIN_MS) };
  const logger = deps.logger ?? silentLogger;
  let stopController = new AbortController();
  const local = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const lanes = new Map<string, { active: number; queue: Queued[] }>();
  const health = createChannelHealth({ store: deps.store, channels: deps.channels, clock: deps.clock, logger, onEnqueued: () => running && (enqueued++, void poll()) });
  let timer: unknown;
  let running = false;
  let polling: Promise<number> | undefined;
  let again = false;
  // A finished delivery claims again only when a message may be waiting behind it: one enqueued
  // here while it was held (its successor), or a claim that could not be sure it saw everything
  // (at start, on the timer, after a full claim, two enqueues in one claim, or a chain of those).
  // Otherwise that claim finds nothing: a write transaction per message that the small-installation
  // profile showed as the outbox's largest cost. What another instance enqueues behind a message in
  // flight here is claimed at its next wake or poll (`pollMs`).
  let enqueued = 0;
  let enqueuedAtLastClaim = 0;
  let unsure = true;

  const lane = (channel: string) => {
    let found = lanes.get(channel);
    if (!found) lanes.set(channel, (found = { active: 0, queue: [] }));
    return found;
  };

  // Outcomes recorded in the same turn of the event loop (deliveries whose answers arrived
  // together, the messages of one grouped send) are written in one store call: one transaction
  // instead of one per message. Each caller waits for that write, so a claim made after a
  // delivery sees its outcome.
  let completions: NotificationCompletion[] = [];
  let completing: Promise<void> | undefined;

  async function writeCompletions(): Promise<void> {
    const batch = completions;
    completions = [];
    completing = undefined;
    try {
      await deps.store.completeNotifications(batch);
    } catch (error) {
      // the leases will expire and the notifications be claimed again: at least once, never lost
      logger.error({ notifications: batch.map((c) => c.id), error: describeFailure(error) }, 'could not record delivery outcomes');
    }
  }

  function complete(ids: readonly string[], outcome: NotificationCompletion['outcome']): Promise<void> {
    for (const id of ids) completions.push({ id, outcome });
    completing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(writeCompletions);
    return completing;
  }

  async function deliver(item: Queued): Promise<void> {
    const [notification] = item.notifications;
    const completeAll = (outcome: NotificationCompletion['outcome']) => complete(item.notifications.map((n) => n.id), outcome);
    const channel = deps.channels[notification.channel]!;
    const notifier = deps.registry[channel.kind]!;
    // the deadline is a timer cleared when the delivery ends: `AbortSignal.timeout` would fire
    // after every delivery, building a DOMException and running the abort listeners each time
    const deadline = new AbortController();
    const abort = () => deadline.abort();
    const timer = setTimeout(abort, channel.timeoutMs).unref();
    const stopping = stopController.signal; // a restart replaces the controller
    stopping.addEventListener('abort', abort, { once: true });
    const signal = deadline.signal;
    try {
      const plain = item.notifications.length === 1 ? notification.event : groupEvent(item.notifications.map((n) => n.event));
      const event = await applyChannelTemplates(plain, channel.templates, (error) => logger.warn({ channel: notification.channel, error }, 'channel template failed; sent the default wording'));
      await notifier.send(event, channel.config, { signal });
      await completeAll({ sentAt: deps.clock.now() });
      deps.onDelivery?.(notification.channel, 'sent');
      await health.delivered(notification.channel);
    } catch (error) {
      if (stopController.signal.aborted) return; // unconfirmed: goes back to the outbox
      const now = deps.clock.now();
      const message = signal.aborted ? `timed out after ${channel.timeoutMs}ms` : describeFailure(error);
      const retryAt = nextAttemptAt(
        {
          attempt: notification.attempts + 1,
          createdAt: notification.createdAt,
          now,
          retryable: !(error instanceof DeliveryError) || error.retryable,
        },
        options.retry,
        deps.random,
      );
      logger.warn({ notification: notification.id, channel: notification.channel, error: message, retryAt }, retryAt ? 'delivery failed, will retry' : 'delivery failed for good');
      await completeAll(retryAt === undefined ? { error: message } : { error: message, retryAt });
      deps.onDelivery?.(notification.channel, retryAt === undefined ? 'failed' : 'retry');
      if (retryAt === undefined) await health.failed(notification.channel, message);
    } finally {
      clearTimeout(timer);
      stopping.removeEventListener('abort', abort);
    }
  }

  function pump(name: string): void {
    const channel = deps.channels[name]!;
    const state = lane(name);
    while (state.active < channel.concurrency && state.queue.length && !stopController.signal.aborted) {
      const item = state.queue.shift()!;
      if (deps.clock.now() + channel.timeoutMs + LEASE_MARGIN_MS > item.leaseUntil) {
        for (const n of item.notifications) local.delete(n.id); // lease too short to finish: leave it to the next claim
        continue;
      }
      state.active++;
      const run = deliver(item).finally(() => {
        state.active--;
        for (const n of item.notifications) local.delete(n.id);
        inFlight.delete(run);
        pump(name);
        // the next message of this alert on this channel became claimable: fetch it now, not at the next poll
        if (running && (item.recheck || unsure || enqueued !== item.enqueuedAtClaim)) {
          if (item.recheck) unsure = true; // what it fetches may have a successor of its own
          void poll();
        }
      });
      inFlight.add(run);
    }
  }

  async function claimOnce(): Promise<number> {
    // claim no more than can be held locally: a backlog stays in the outbox, free for other instances
    // grouped, many messages make one send: hold ten claims' worth, so a storm fits one message per channel
    const room = options.batch * (options.groupBy ? 10 : 1) - local.size;
    if (room <= 0) {
      unsure = true;
      return 0;
    }
    const now = deps.clock.now();
    const enqueuedAtClaim = enqueued;
    const recheck = unsure || enqueued - enqueuedAtLastClaim >= 2;
    unsure = false;
    enqueuedAtLastClaim = enqueued;
    const claimed = await deps.store.claimNotifications(deps.owner, now, options.leaseMs, room);
    if (claimed.length >= room) unsure = true; // a backlog: claim more as room frees up
    const touched = new Set<string>();
    const sends = new Map<string, Notification[]>();
    for (const notification of claimed) {
      if (local.has(notification.id)) continue;
      const channel = deps.channels[notification.channel];
      if (!channel || !deps.registry[channel.kind]) {
        await complete([notification.id], { error: `channel "${notification.channel}" is not configured` });
        continue;
      }
      if (!channel.enabled) {
        await complete([notification.id], { error: `channel "${notification.channel}" is disabled` });
        continue;
      }
      local.add(notification.id);
      // grouped messages of one channel and group key go out as one; others alone
      // PagerDuty is never grouped: its incidents open and close by each alert's own dedup key
      const grouped = options.groupBy && channel.kind !== 'pagerduty';
      const key = grouped ? `${notification.channel}\u0000${groupKey(notification.event, options.groupBy!)}` : notification.id;
      sends.set(key, [...(sends.get(key) ?? []), notification]);
      touched.add(notification.channel);
    }
    for (const notifications of sends.values()) lane(notifications[0].channel).queue.push({ notifications, leaseUntil: now + options.leaseMs, enqueuedAtClaim, recheck: recheck || unsure });
    for (const name of touched) pump(name);
    return claimed.length;
  }

  function poll(): Promise<number> {
    if (polling !== undefined) {
      again = true;
      return polling;
    }
    polling = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await claimOnce();
        } while (again && !stopController.signal.aborted);
      } catch (error) {
        logger.error({ error: describeFailure(error) }, 'could not claim notifications');
      } finally {
        polling = undefined;
      }
      return total;
    })();
    return polling;
  }

  function schedule(): void {
    if (!running) return;
    timer = deps.clock.setTimeout(() => {
      unsure = true; // other instances' messages, retries come due
      void poll().finally(schedule);
    }, options.pollMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      if (stopController.signal.aborted) stopController = new AbortController();
      unsure = true;
      void poll();
      schedule();
    },
    async stop() {
      running = false;
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      stopController.abort();
      await polling;
      await Promise.allSettled([...inFlight]);
    },
    wake() {
      enqueued++;
      if (!stopController.signal.aborted) void poll();
    },
    poll,
    async drain(maxRounds = 1_000) {
      const settle = async () => {
        // each pass finishes at least one send, and pump refills from the local queues
        while (inFlight.size) await Promise.allSettled([...inFlight]);
      };
      for (let round = 0; round < maxRounds; round++) {
        await settle(); // empty local queues first, so "claimed nothing" means "nothing due"
        unsure = true;
        const claimed = await poll();
        await settle();
        if (claimed === 0) return;
      }
    },
  };
}
