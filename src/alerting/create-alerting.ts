/**
 * Alerting as one unit: the evaluator (result bus → rules → transitions + outbox) and the
 * dispatcher (outbox → channels). The runtime creates it once at start-up:
 *
 * ```ts
 * const alerting = createAlerting({ alerts: config.alerts, channels: config.notifiers, checks: config.checks,
 *   store, bus, clock: systemClock, isInMaintenance, owner: instanceId, logger });
 * await alerting.start();
 * …
 * await alerting.stop();
 * ```
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Check } from '../domain/check.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import type { Clock } from '../kernel/clock.ts';
import type { AlertsConfig, NotifiersConfig } from './alerts-config.ts';
import { lazyNotifiers } from './notifiers/lazy-registry.ts';
import { describeFailure, type NotifierSenders } from './notifiers/notifier.ts';
import { createEvaluator, type Evaluator, type EvaluatorStore } from './evaluator.ts';
import { createDispatcher, type DeliveryOutcome, type Dispatcher, type DispatcherOptions, type DispatcherStore } from './dispatcher.ts';
import { testEvent } from './alert-message.ts';
import { applyChannelTemplates } from './channel-templates.ts';
import { ackLink } from './ack-link.ts';
import { createStoredMaintenance, type StoredMaintenanceStore } from './stored-maintenance.ts';
import { createActiveSilences, type SilenceStore } from './silences.ts';
import { silentLogger, type AlertingLogger } from './alerting-logger.ts';
import type { AlertRecord } from '../domain/alert.ts';

export interface AlertingDeps {
  alerts: AlertsConfig;
  channels: NotifiersConfig;
  checks: readonly Check[];
  store: EvaluatorStore & DispatcherStore & StoredMaintenanceStore & SilenceStore;
  bus: ResultBus;
  clock: Clock;
  /** True while `check` is inside a maintenance window at `at`. */
  isInMaintenance(check: string, at: number): boolean;
  /** Notifier kinds; defaults to the built-in ones, each loaded on its first send (notifiers/lazy-registry.ts). */
  registry?: NotifierSenders;
  /** Instance identity for outbox leases (default: a random id per process). */
  owner?: string;
  linkFor?(check: string): string | undefined;
  /** The page's public URL: with `alerts.ackLinks`, messages carry signed acknowledge links to it. */
  publicUrl?: string;
  dispatcher?: Partial<DispatcherOptions>;
  logger?: AlertingLogger;
  random?: () => number;
  /** Told about every delivery attempt, by channel (the runtime feeds `/metrics` with it). */
  onDelivery?(channel: string, outcome: DeliveryOutcome): void;
}

interface TestOutcome {
  ok: boolean;
  error?: string;
  ms: number;
}

export interface Alerting {
  /** Loads state, subscribes to the bus and starts delivering. No-op when `alerts.enabled` is false. */
  start(): Promise<void>;
  /** Unsubscribes and stops delivering; unconfirmed deliveries stay in the outbox. */
  stop(): Promise<void>;
  /** Evaluates every check now (a test hook; normal evaluation follows the bus). */
  evaluateNow(): Promise<void>;
  /** Claims and sends everything due, waiting for the sends to finish (tests, CLI). */
  deliverNow(): Promise<void>;
  /** Sends a test message to one channel directly (not through the outbox), e.g. `upstate notify-test`. */
  sendTest(channel: string): Promise<TestOutcome>;
  /** Alert records as this instance knows them. */
  alerts(): AlertRecord[];
}

export function createAlerting(deps: AlertingDeps): Alerting {
  const registry: NotifierSenders = deps.registry ?? lazyNotifiers;
  const logger = deps.logger ?? silentLogger;
  const enabled = deps.alerts.enabled;
  const links = deps.alerts.ackLinks;
  const dispatcher: Dispatcher = createDispatcher({
    store: deps.store,
    channels: deps.channels,
    registry,
    clock: deps.clock,
    owner: deps.owner ?? `upstate-${randomUUID()}`,
    options: { ...deps.dispatcher, ...(deps.alerts.grouping ? { groupBy: deps.alerts.grouping.by } : {}) },
    logger,
    random: deps.random,
    onDelivery: deps.onDelivery,
  });
  const evaluator: Evaluator = createEvaluator({
    alerts: deps.alerts,
    channels: deps.channels,
    checks: deps.checks,
    store: deps.store,
    now: deps.clock.now,
    isInMaintenance: deps.isInMaintenance,
    storedMaintenance: createStoredMaintenance(deps.store),
    silences: createActiveSilences(deps.store),
    linkFor: deps.linkFor,
    ackLinkFor: links && deps.publicUrl ? (key, now) => ackLink(deps.publicUrl!, links, key, now) : undefined,
    onEnqueued: () => dispatcher.wake(),
    logger,
  });
  let unsubscribe: (() => void) | undefined;

  return {
    async start() {
      if (!enabled || unsubscribe) return;
      await evaluator.load();
      unsubscribe = deps.bus.subscribe((event) => evaluator.handle(event));
      dispatcher.start();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await dispatcher.stop();
    },
    evaluateNow: () => (enabled ? evaluator.evaluateAll() : Promise.resolve()),
    deliverNow: () => (enabled ? dispatcher.drain() : Promise.resolve()),
    async sendTest(name) {
      const started = performance.now();
      const channel = deps.channels[name];
      const notifier = channel && registry[channel.kind];
      if (!channel || !notifier) return { ok: false, error: `channel "${name}" is not configured`, ms: 0 };
      try {
        const event = await applyChannelTemplates(testEvent(name, deps.clock.now()), channel.templates, () => {});
        await notifier.send(event, channel.config, { signal: AbortSignal.timeout(channel.timeoutMs) });
        return { ok: true, ms: Math.round(performance.now() - started) };
      } catch (error) {
        return { ok: false, error: describeFailure(error), ms: Math.round(performance.now() - started) };
      }
    },
    alerts: () => evaluator.records(),
  };
}
