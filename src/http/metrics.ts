/**
 * Prometheus metrics of one app, in their own prom-client `Registry` (never the global default,
 * so two apps in one process — or one test after another — never share series).
 *
 * Bounded by default: every series below without a `check` label is always there; the per-check
 * series are on when `metrics.perCheck` says so (`auto`: up to 1,000 checks, see metrics-config.ts). At
 * 100,000 checks per-check series were 104 MB of heap and a 103 MB scrape.
 *
 * Always:
 * - `upstate_checks{status}`: how many checks have each status (up, degraded, down, unknown,
 *   maintenance), from the status model;
 * - `upstate_results_total{status,failure_class}`: results seen by this process;
 * - `upstate_result_latency_seconds`: histogram of result latency over all checks;
 *
 * Per check (`metrics.perCheck`):
 * - `upstate_check_up{check}`: 1 up/degraded, 0 down; absent while unknown or in maintenance;
 * - `upstate_check_uptime_ratio{check,window}`: 0..1 over 24h/7d/30d/90d, from the status model;
 * - `upstate_check_latency_seconds{check}`: histogram of result latency;
 * - `upstate_check_results_total{check,status,failure_class}`: results seen by this process;
 * - `upstate_scheduler_lag_seconds`: how late checks started, fed by the runtime's scheduler;
 * - `upstate_clock_offset_seconds{source,name}`: measured clock offset of each agent
 *   (`source="agent"`) and of this cluster instance (`source="instance"`) to the server's or
 *   database's clock; positive when that clock is behind;
 * - `upstate_alert_deliveries_total{channel,outcome}`: alert delivery attempts of this process
 *   (`sent`, `retry`, `failed` = given up for good), fed by the dispatcher;
 * - config reloads of a long-lived `upstate serve` (absent elsewhere, e.g. on Lambda):
 *   `upstate_config_reload_success` (1: the last load or reload applied, 0: the last reload failed
 *   and the previous config still runs), `upstate_config_last_reload_timestamp_seconds` (last
 *   attempt), `upstate_config_last_reload_success_timestamp_seconds` and
 *   `upstate_config_reloads_total{outcome="success"|"failure"}`.
 *
 * Gauges are set from the status model at scrape time, so they agree with the page; counters and
 * histograms come from the result bus of this process (per instance in a cluster, as usual).
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { StatusModel } from '../status/status-model.ts';
import type { CheckStatus } from '../domain/status.ts';
import { UPTIME_WINDOWS } from '../status/status-model.ts';

export interface AppMetrics {
  readonly registry: Registry;
  /** Records how late (ms) the scheduler started a check relative to its due time. */
  observeSchedulerLag(ms: number): void;
  /** Sets the measured clock offset (ms; positive: behind the server's) of an agent or this instance. */
  observeClockOffset(source: 'agent' | 'instance', name: string, offsetMs: number): void;
  /** Counts a published result batch (the app subscribes this to its bus). */
  observeResults(event: ResultEvent): void;
  /** Counts one alert delivery attempt to `channel`. */
  observeDelivery(channel: string, outcome: 'sent' | 'retry' | 'failed'): void;
  /** Sets the per-check gauges from the status model; called before each scrape. */
  updateFromModel(model: StatusModel): void;
  /** Whether this registry has the per-check series (which need the status model at each scrape). */
  readonly perCheckSeries: boolean;
  /** Sets `upstate_checks` from counts of each status (a scrape without per-check series). */
  updateStatusCounts(counts: Readonly<Record<CheckStatus, number>>): void;
  /** The config was loaded at start-up (epoch ms): the reload series appear, reading success. */
  configLoaded(atMs: number): void;
  /** A config reload was tried at `atMs` (epoch ms): applied (`ok`) or refused. */
  observeConfigReload(ok: boolean, atMs: number): void;
  /** The exposition text (Prometheus text format 0.0.4). */
  render(): Promise<string>;
  readonly contentType: string;
}

const CHECK_STATUSES: readonly CheckStatus[] = ['up', 'degraded', 'down', 'unknown', 'maintenance'];

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Creates the metrics of one app. Pass the same object to the runtime to feed scheduler lag.
 * `perCheck` (default true; servers pass `perCheckSeries(config.metrics, …)`) adds the
 * per-check series.
 */
export function createMetrics(options: { perCheck?: boolean } = {}): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const checks = new Gauge({ name: 'upstate_checks', help: 'Checks by current status (up, degraded, down, unknown, maintenance).', labelNames: ['status'], registers });
  const allResults = new Counter({ name: 'upstate_results_total', help: 'Check results seen by this process, by status and failure class ("none" when the result did not fail).', labelNames: ['status', 'failure_class'], registers });
  const allLatency = new Histogram({ name: 'upstate_result_latency_seconds', help: 'Latency of check results in seconds, over all checks.', buckets: LATENCY_BUCKETS, registers });
  const perCheck = options.perCheck === false ? undefined : perCheckMetrics(registry);
  const clockOffset = new Gauge({ name: 'upstate_clock_offset_seconds', help: "Measured clock offset of an agent or this cluster instance to the server's (agents) or database's (instances) clock, in seconds; positive when that clock is behind.", labelNames: ['source', 'name'], registers: [registry] });
  const deliveries = new Counter({ name: 'upstate_alert_deliveries_total', help: 'Alert delivery attempts by channel and outcome (sent, retry, failed = given up for good).', labelNames: ['channel', 'outcome'], registers: [registry] });
  const lag = new Histogram({ name: 'upstate_scheduler_lag_seconds', help: 'How late checks started relative to their due time, in seconds.', buckets: LAG_BUCKETS, registers: [registry] });

  const setStatusCounts = (counts: Readonly<Record<CheckStatus, number>>) => {
    for (const status of CHECK_STATUSES) checks.set({ status }, counts[status]);
  };
  // registered on first use: only a process that reloads its config has these series
  let reloads: ReturnType<typeof reloadMetrics> | undefined;

  return {
    registry,
    contentType: registry.contentType,
    configLoaded(atMs) {
      reloads ??= reloadMetrics(registry);
      reloads.success.set(1);
      reloads.lastSuccess.set(atMs / 1000);
    },
    observeConfigReload(ok, atMs) {
      reloads ??= reloadMetrics(registry);
      reloads.success.set(ok ? 1 : 0);
      reloads.last.set(atMs / 1000);
      if (ok) reloads.lastSuccess.set(atMs / 1000);
      reloads.total.inc({ outcome: ok ? 'success' : 'failure' });
    },
    observeSchedulerLag(ms) {
      if (Number.isFinite(ms)) lag.observe(Math.max(0, ms) / 1000);
    },
    observeClockOffset(source, name, offsetMs) {
      if (Number.isFinite(offsetMs)) clockOffset.set({ source, name }, offsetMs / 1000);
    },
    observeResults(event) {
      for (const r of event.results) {
        const failureClass = r.failure?.class ?? 'none';
        allResults.inc({ status: r.status, failure_class: failureClass });
        perCheck?.results.inc({ check: r.check, status: r.status, failure_class: failureClass });
        if (!Number.isFinite(r.latencyMs)) continue;
        const seconds = Math.max(0, r.latencyMs) / 1000;
        allLatency.observe(seconds);
        perCheck?.latency.observe({ check: r.check }, seconds);
      }
    },
    observeDelivery(channel, outcome) {
      deliveries.inc({ channel, outcome });
    },
    perCheckSeries: perCheck !== undefined,
    updateStatusCounts: setStatusCounts,
    updateFromModel(model) {
      setStatusCounts(model.overall.counts);
      if (!perCheck) return;
      const { up, uptime } = perCheck;
      // Reset first: a check removed from config (or gone unknown) must not keep its last value.
      up.reset();
      uptime.reset();
      for (const c of model.components) {
        if (c.status === 'up' || c.status === 'degraded') up.set({ check: c.name }, 1);
        else if (c.status === 'down') up.set({ check: c.name }, 0);
        for (const window of UPTIME_WINDOWS) {
          const value = c.uptime[window];
          if (value !== null) uptime.set({ check: c.name, window }, value / 100);
        }
      }
    },
    render: () => registry.metrics(),
  };
}

/** The series labelled by check (see the module comment). */
function perCheckMetrics(registry: Registry) {
  const registers = [registry];
  return {
    up: new Gauge({ name: 'upstate_check_up', help: 'Whether the check is up (1: up or degraded, 0: down); absent while unknown or in maintenance.', labelNames: ['check'], registers }),
    uptime: new Gauge({ name: 'upstate_check_uptime_ratio', help: 'Share of results that were up or degraded over the window (0..1).', labelNames: ['check', 'window'], registers }),
    latency: new Histogram({ name: 'upstate_check_latency_seconds', help: 'Latency of check results in seconds.', labelNames: ['check'], buckets: LATENCY_BUCKETS, registers }),
    results: new Counter({ name: 'upstate_check_results_total', help: 'Check results seen by this process, by status and failure class ("none" when the result did not fail).', labelNames: ['check', 'status', 'failure_class'], registers }),
  };
}

/** The config reload series (see the module comment). */
function reloadMetrics(registry: Registry) {
  const registers = [registry];
  const total = new Counter({ name: 'upstate_config_reloads_total', help: 'Config reloads tried by this process, by outcome (success: applied; failure: refused, the previous config still runs).', labelNames: ['outcome'], registers });
  // both outcomes exported from the first reload on, so rate() and alerts see a 0, not a gap
  total.inc({ outcome: 'success' }, 0);
  total.inc({ outcome: 'failure' }, 0);
  return {
    success: new Gauge({ name: 'upstate_config_reload_success', help: 'Whether the last config load or reload applied (1) or failed, leaving the previous config running (0).', registers }),
    last: new Gauge({ name: 'upstate_config_last_reload_timestamp_seconds', help: 'When the last config reload was tried (Unix seconds); 0 until the first reload.', registers }),
    lastSuccess: new Gauge({ name: 'upstate_config_last_reload_success_timestamp_seconds', help: 'When the running config was loaded or last reloaded (Unix seconds).', registers }),
    total,
  };
}
