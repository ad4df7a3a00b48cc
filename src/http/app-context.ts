/**
 * What every route module receives: the app's dependencies plus the shared theme, response cache
 * and a short-lived memo of the status model (the page and the API read the same one).
 * @module
 */
import type { WebConfig } from './page-config.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import type { StatusModel } from '../status/status-model.ts';
import { loadStatusCounts, loadStatusModel } from '../status/load-status-model.ts';
import type { CheckStatus } from '../domain/status.ts';
import type { LiveStatusFacts } from '../status/live-status-facts.ts';
import type { MaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import type { Theme } from './theme.ts';
import type { ResponseCache } from './response-cache.ts';
import type { AdminAuth } from './admin/admin-auth.ts';
import type { AppMetrics } from './metrics.ts';
import type { Context } from 'hono';
import type { Subscriptions } from '../subscriptions/create-subscriptions.ts';
import type { KnownNames } from '../alerting/silence-input.ts';

/**
 * How old the model behind a `/metrics` scrape may be while no status changed (see
 * `AppContext.metricsModel`): the uptime ratios lag the newest results by at most this much.
 */
export const METRICS_MODEL_MAX_AGE_MS = 60_000;

/** The slice of a logger the web layer uses (pino-compatible). */
export interface AppLogger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface AppContext {
  config: WebConfig;
  store: EmbeddedStore;
  bus?: ResultBus;
  now: () => number;
  logger?: AppLogger;
  theme: Theme;
  cache: ResponseCache;
  /** The current status model (memoised for the cache TTL, dropped when results arrive). */
  model(): Promise<StatusModel>;
  /**
   * The model `/metrics` reads: with a result bus, the last one built while no check's status has
   * changed since and at most `METRICS_MODEL_MAX_AGE_MS` old (a scrape at 10,000 checks would
   * otherwise rebuild it whenever any result arrived); without one, `model()`.
   */
  metricsModel(): Promise<StatusModel>;
  /** How many checks have each status now, without building the model (`/metrics` without per-check series). */
  statusCounts(): Promise<Record<CheckStatus, number>>;
  /** Values every template gets: page config, time, whether live updates exist. */
  templateBase(): Record<string, unknown>;
  /** Drops the memoised model and cached responses (after an admin write). */
  invalidate(): void;
  /** Admin tokens and sessions. */
  admin: AdminAuth;
  /** Prometheus metrics of this app (made, and prom-client loaded, on first use). */
  metrics(): Promise<AppMetrics>;
  /** The client address of a request, the key of per-client rate limits (see client-address.ts). */
  clientAddress(c: Context): string;
  /** Email subscriptions, when `subscriptions.email` is configured. */
  subscriptions?: Subscriptions;
  /** The config's check and group names, one shared pair of Sets built on first use (known-names.ts). */
  known: KnownNames;
}

/**
 * A memo of the status model with the same lifetime rules as the response cache, built from the
 * in-memory facts when there are some, else from the store (the page Lambda).
 */
export function createModelMemo(deps: {
  store: EmbeddedStore;
  config: WebConfig;
  now: () => number;
  ttlMs: number;
  calendar?: Pick<MaintenanceCalendar, 'activeFor' | 'upcoming'>;
  /** In-memory states and rollups (a server with a result bus): the model reads no store but incidents. */
  facts?: Pick<LiveStatusFacts, 'load' | 'view' | 'loading'>;
}) {
  const { facts } = deps;
  let current: { promise: Promise<StatusModel>; expires: number } | undefined;
  /** The last model built, when, and in which status epoch (bumped by status changes and admin writes). */
  let last: { promise: Promise<StatusModel>; builtAt: number; epoch: number } | undefined;
  let epoch = 0;
  const load = async (t: number) => {
    if (!facts) return loadStatusModel(deps.store, deps.config, t, { calendar: deps.calendar });
    await facts.load();
    return loadStatusModel(facts.view, deps.config, t, { calendar: deps.calendar });
  };
  return {
    get(): Promise<StatusModel> {
      const t = deps.now();
      if (current && current.expires > t) return current.promise;
      const promise = load(t);
      current = { promise, expires: t + Math.min(deps.ttlMs, 5000) };
      last = { promise, builtAt: t, epoch };
      // A failed read must not be memoised: the next request tries again.
      promise.catch(() => {
        if (current?.promise === promise) current = undefined;
        if (last?.promise === promise) last = undefined;
      });
      return promise;
    },
    /**
     * The last model built if no status changed since and it is younger than `maxAgeMs`, else a
     * current one (`get`). What it may lag by is what results add to the rollups: uptime ratios.
     */
    recent(maxAgeMs: number): Promise<StatusModel> {
      if (last && last.epoch === epoch && deps.now() - last.builtAt < maxAgeMs) return last.promise;
      return this.get();
    },
    /**
     * How many checks have each status now: what `/metrics` needs without per-check series, from
     * states and incidents alone (no model build).
     */
    async statusCounts(): Promise<Record<CheckStatus, number>> {
      // states only: the live facts when a page has loaded them, else the store's — a scrape does
      // not make the facts read and then keep every check's history in memory
      if (!facts?.loading) return loadStatusCounts(deps.store, deps.config, deps.now(), { calendar: deps.calendar });
      await facts.load();
      return loadStatusCounts(facts.view, deps.config, deps.now(), { calendar: deps.calendar });
    },
    /** Results arrived: the memo is dropped; `statusChanged` also retires the model `recent` hands out. */
    resultsArrived(statusChanged: boolean) {
      current = undefined;
      if (statusChanged) epoch++;
    },
    /** Anything may have changed (an admin write): nothing built so far is handed out again. */
    invalidate() {
      current = undefined;
      epoch++;
    },
  };
}
