/**
 * Prometheus metrics of one app, in their own prom-client `Registry` (never the global default,
 * so two apps in one process — or one test after another — never share series).
 *
 * - `upstate_check_up{check}`: 1 up/degraded, 0 down; absent while unknown or in maintenance;
 * - `upstate_check_uptime_ratio{check,window}`: 0..1 over 24h/7d/30d/90d, from the status model;
 * - `upstate_check_latency_seconds{check}`: histogram of result latency;
 * - `upstate_check_results_total{check,status,failure_class}`: results seen by this process;
 * - `upstate_scheduler_lag_seconds`: how late checks started, fed by the runtime's scheduler;
 * - `upstate_clock_offset_seconds{source,name}`: measured clock offset of each agent
 *   (`source="agent"`) and of this cluster instance (`source="instance"`) to the server's or
 *   database's clock; positive when that clock is behind;
 * - `upstate_alert_deliveries_total{channel,outcome}`: alert delivery attempts of this process
 *   (`sent`, `retry`, `failed` = given up for good), fed by the dispatcher.
 *
 * Gauges are set from the status model at scrape time, so they agree with the page; counters and
 * histograms come from the result bus of this process (per instance in a cluster, as usual).
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { StatusModel } from '../status/status-model.ts';
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
  /** The exposition text (Prometheus text format 0.0.4). */
  render(): Promise<string>;
  readonly contentType: string;
}

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Creates the metrics of one app. Pass the same object to the runtime to feed scheduler lag. */
export function createMetrics(): AppMetrics {
  const registry = new Registry();
  const up = new Gauge({ name: 'upstate_check_up', help: 'Whether the check is up (1: up or degraded, 0: down); absent while unknown or in maintenance.', labelNames: ['check'], registers: [registry] });
  const uptime = new Gauge({ name: 'upstate_check_uptime_ratio', help: 'Share of results that were up or degraded over the window (0..1).', labelNames: ['check', 'window'], registers: [registry] });
  const latency = new Histogram({ name: 'upstate_check_latency_seconds', help: 'Latency of check results in seconds.', labelNames: ['check'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const results = new Counter({ name: 'upstate_check_results_total', help: 'Check results seen by this process, by status and failure class ("none" when the result did not fail).', labelNames: ['check', 'status', 'failure_class'], registers: [registry] });
  const clockOffset = new Gauge({ name: 'upstate_clock_offset_seconds', help: "Measured clock offset of an agent or this cluster instance to the server's (agents) or database's (instances) clock, in seconds; positive when that clock is behind.", labelNames: ['source', 'name'], registers: [registry] });
  const deliveries = new Counter({ name: 'upstate_alert_deliveries_total', help: 'Alert delivery attempts by channel and outcome (sent, retry, failed = given up for good).', labelNames: ['channel', 'outcome'], registers: [registry] });
  const lag = new Histogram({ name: 'upstate_scheduler_lag_seconds', help: 'How late checks started relative to their due time, in seconds.', buckets: LAG_BUCKETS, registers: [registry] });

  return {
    registry,
    contentType: registry.contentType,
    observeSchedulerLag(ms) {
      if (Number.isFinite(ms)) lag.observe(Math.max(0, ms) / 1000);
    },
    observeClockOffset(source, name, offsetMs) {
      if (Number.isFinite(offsetMs)) clockOffset.set({ source, name }, offsetMs / 1000);
    },
    observeResults(event) {
      for (const r of event.results) {
        results.inc({ check: r.check, status: r.status, failure_class: r.failure?.class ?? 'none' });
        if (Number.isFinite(r.latencyMs)) latency.observe({ check: r.check }, Math.max(0, r.latencyMs) / 1000);
      }
    },
    observeDelivery(channel, outcome) {
      deliveries.inc({ channel, outcome });
    },
    updateFromModel(model) {
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
