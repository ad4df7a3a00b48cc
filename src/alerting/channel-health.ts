/**
 * "Alert channel failing": when a channel gives a message up for good (a permanent refusal such
 * as Slack's 400, or the attempt cap), the loss must not be silent. The channel gets an alert of
 * its own, key `channel:<name>` (rule `channel`), written like any alert transition: compare-and-set
 * on its version with its messages in the same write, so in a cluster it fires once. Its messages
 * go to every other enabled channel; the first later delivery that the channel confirms resolves it.
 * Being an alert record, it shows in `/api/v1/alerts` with the others.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { AlertEvent, AlertRecord, Notification } from '../domain/alert.ts';
import type { Store } from '../storage/store.ts';
import type { Clock } from '../kernel/clock.ts';
import type { NotifiersConfig } from './alerts-config.ts';
import { silentLogger, type AlertingLogger } from './alerting-logger.ts';
import { describeFailure } from './notifiers/notifier.ts';

export type ChannelHealthStore = Pick<Store, 'readAlerts' | 'applyAlertTransition'>;

export interface ChannelHealthDeps {
  store: ChannelHealthStore;
  channels: NotifiersConfig;
  clock: Clock;
  /** Called after a transition enqueued messages (wakes the dispatcher). */
  onEnqueued?(): void;
  logger?: AlertingLogger;
  newId?(): string;
}

export interface ChannelHealth {
  /** A message to `channel` was given up: raise its alert unless it is already raised. */
  failed(channel: string, error: string): Promise<void>;
  /** A message to `channel` was confirmed: resolve its alert if it is raised. */
  delivered(channel: string): Promise<void>;
}

/** The alert key of a channel's own health alert. */
function channelAlertKey(channel: string): string {
  return `channel:${channel}`;
}

/** How long a known state is trusted before the store is read again (another instance may have changed it). */
const CACHE_MS = 60_000;

export function createChannelHealth(deps: ChannelHealthDeps): ChannelHealth {
  const logger = deps.logger ?? silentLogger;
  const newId = deps.newId ?? randomUUID;
  let known: { at: number; records: Map<string, AlertRecord> } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // one transition at a time in this process, so versions read here stay consistent
  const serial = (work: () => Promise<void>): Promise<void> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };

  async function records(fresh: boolean): Promise<Map<string, AlertRecord>> {
    const now = deps.clock.now();
    if (!fresh && known && now - known.at < CACHE_MS) return known.records;
    const all = (await deps.store.readAlerts()).filter((r) => r.rule === 'channel');
    known = { at: now, records: new Map(all.map((r) => [r.key, r])) };
    return known.records;
  }

  function message(channel: string, record: AlertRecord, error: string | undefined): AlertEvent {
    const failing = record.state === 'ALARM';
    return {
      key: record.key,
      rule: 'channel',
      check: 'upstate',
      kind: failing ? 'firing' : 'resolved',
      state: record.state,
      title: failing ? `Alert channel "${channel}" is failing` : `Alert channel "${channel}" delivers again`,
      summary: failing
        ? `Upstate gave up delivering a message to "${channel}": ${error}. Alerts for it are lost until the channel is fixed; see /api/v1/alerts.`
        : `"${channel}" confirmed a delivery again.`,
      at: record.since,
      sequence: record.version,
    };
  }

  function transition(channel: string, state: 'ALARM' | 'OK', error?: string): Promise<void> {
    return serial(async () => {
      const key = channelAlertKey(channel);
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = (await records(attempt > 0)).get(key);
        if ((current?.state ?? 'OK') === state) return;
        const now = deps.clock.now();
        const record: AlertRecord = { key, rule: 'channel', check: 'upstate', state, since: now, evaluations: [], version: (current?.version ?? 0) + 1, lastNotifiedAt: now };
        const event = message(channel, record, error);
        const notifications: Notification[] = Object.entries(deps.channels)
          .filter(([name, config]) => name !== channel && config.enabled)
          .map(([name]) => ({ id: newId(), channel: name, event, state: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now }));
        if (await deps.store.applyAlertTransition({ record, fromVersion: current?.version ?? 0, notifications })) {
          known?.records.set(key, record);
          logger.warn({ channel, state, error }, state === 'ALARM' ? 'alert channel failing' : 'alert channel delivers again');
          if (notifications.length) deps.onEnqueued?.();
          return;
        }
        // another instance changed it first: read again and decide again
      }
    }).catch((failure: unknown) => logger.error({ channel, error: describeFailure(failure) }, 'could not record a channel health change'));
  }

  return {
    failed: (channel, error) => transition(channel, 'ALARM', error),
    async delivered(channel) {
      // the common case (healthy, state cached) costs no store access
      const cached = known && deps.clock.now() - known.at < CACHE_MS ? known.records.get(channelAlertKey(channel)) : undefined;
      if (known && deps.clock.now() - known.at < CACHE_MS && cached?.state !== 'ALARM') return;
      await transition(channel, 'OK');
    },
  };
}
