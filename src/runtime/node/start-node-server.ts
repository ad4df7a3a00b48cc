/**
 * Assembles one Node process: buses, the engine of its mode (embedded or cluster, see
 * `src/modes/`), background services, web app, HTTP server.
 * Used by `upstate serve` and by end-to-end tests, so both run exactly the same wiring.
 *
 * Two buses: the *result bus* carries this process's own results (and agents' results it
 * ingested) to the store writer, the alert evaluator and then the page bus; the *page bus* feeds
 * open pages (SSE, page cache). In cluster mode the page bus also receives what other instances
 * wrote (LISTEN/NOTIFY relay) — those are never written again nor evaluated for alerts twice.
 *
 * Extra routes (`/readyz`, the agent API) sit in front of the web app, so the page's
 * reverse-proxy auth header does not apply to them: load balancers and agents are not behind it.
 * @module
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { applyConnectionCaps, inboundLimits, inboundServerOptions } from './inbound-limits.ts';
import type { UpstateConfig } from '../../config/types.ts';
import type { EmbeddedStore, Store } from '../../storage/store.ts';
import type { Logger } from './logger.ts';
import { createResultBus } from '../../kernel/result-bus.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ServerEngine } from '../../modes/server-mode-deps.ts';
import { createEmbeddedMode } from '../../modes/embedded-mode.ts';
import { createClusterMode } from '../../modes/cluster-mode.ts';
import type { PageEventRelay } from '../../cluster/page-event-relay.ts';
import { createReadinessRoutes } from '../../cluster/readiness-routes.ts';
import { createAgentRoutes } from '../../agents/agent-routes.ts';
import { probes as defaultProbes, type ProbeRegistry } from '../../probes/registry.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import { createSkewReporter, type SkewReporter } from '../../kernel/clock-skew.ts';
import { createStoreClock, type StoreClock } from '../../cluster/store-clock.ts';
import { createApp } from '../../http/create-app.ts';
import { createMaintenanceCalendar } from '../../maintenance/create-maintenance-calendar.ts';
import { startBackgroundServices } from './background-services.ts';
import { withStartUpStates } from '../../storage/with-start-up-states.ts';
import { createMetrics, type AppMetrics } from '../../http/metrics.ts';
import { perCheckSeries } from '../../http/metrics-config.ts';
import { createClientAddress } from '../../http/client-address.ts';
import { createWriteHealth } from './write-health.ts';
import { syncConfigIncidents } from '../../status/sync-config-incidents.ts';

/**
 * Embedded mode needs every store port but the shared schedule; cluster mode needs that too,
 * so its options carry a full `Store`.
 */
export type NodeServerOptions = NodeServerBase & ({ store: EmbeddedStore; cluster?: undefined } | { store: Store; cluster: ClusterOptions });

/**
 * Cluster mode (PostgreSQL store shared by N instances): checks are claimed from the shared
 * schedule under `owner`, and other instances' results reach open pages via LISTEN on `listenUrl`.
 */
interface ClusterOptions {
  owner: string;
  listenUrl: string;
}

interface NodeServerBase {
  config: UpstateConfig;
  logger: Logger;
  port: number;
  host?: string;
  clock?: Clock;
  probes?: ProbeRegistry;
  /** Metrics served at `/metrics` (default: new ones); `upstate serve` shares them with its config reloader. */
  metrics?: AppMetrics;
  /** Extra fields of the `/healthz` JSON (the last config reload). */
  health?: () => Record<string, unknown>;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting requests and checks, waits for running checks, flushes results. */
  stop(): Promise<void>;
  /**
   * Applies a validated config without a restart: the engine's checks (in-flight runs finish, open
   * pages and their live streams stay), maintenance, config incidents, heartbeat tokens, alerting,
   * retention, the agents' check lists and a web app built from the new page settings. Throws,
   * with the previous config still running, when the new app or alerting cannot be built.
   */
  reload(config: UpstateConfig): Promise<void>;
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const metrics = options.metrics ?? createMetrics({ perCheck: perCheckSeries(config.metrics, config.checks.length) });
  const own = options.clock ?? systemClock;
  const skew = createSkewReporter({ observe: (source, ms) => metrics.observeClockOffset(source.kind, source.name, ms), logger, now: () => own.now() });
  // a cluster instance keeps time by the database's clock (leases, claims, staleness, result times)
  const storeClock = options.cluster ? await startStoreClock(options.store, own, options.cluster.owner, skew, logger) : undefined;
  const clock: Clock = storeClock ?? own;
  // failed result writes are tracked (for /readyz) and logged there at a bounded rate
  const health = createWriteHealth({ logger, now: () => clock.now() });
  // the page, the alert evaluator and the state authority each read every state as they start: one read serves all
  const store = withStartUpStates(health.watch(options.store));
  const bus = createResultBus((error) => {
    if (!health.handled(error)) logger.error({ err: error }, 'result listener failed');
  });
  const pageBus = createResultBus((error) => logger.error({ err: error }, 'page listener failed'));
  // what a reload replaces; the engine, agents and alerting read maintenance through `inMaintenance`
  let current = config;
  let calendar = createMaintenanceCalendar(config.maintenance, config.checks);
  const inMaintenance = (check: string, at: number) => calendar.inMaintenance(check, at);
  const probes = options.probes ?? defaultProbes;
  const onLag = (ms: number) => metrics.observeSchedulerLag(ms);
  const modeDeps = { config, bus, clock, probes, inMaintenance, onLag, logger: logger.child({ part: 'engine' }) };
  const engine: ServerEngine = options.cluster
    ? createClusterMode({ ...modeDeps, store: store as Store, owner: options.cluster.owner })
    : createEmbeddedMode({ ...modeDeps, store });
  // results are counted from this process's own bus: the page bus also carries other instances' results
  bus.subscribe((event) => metrics.observeResults(event));
  await syncConfigIncidents(store, config, clock.now());
  // a reload builds a new app and aborts the old one's bus subscription; open /events streams live on
  const webOf = (next: UpstateConfig, signal: AbortSignal) =>
    createApp({
      config: next, store, bus: pageBus, now: () => clock.now(), logger, maintenance: calendar, metrics, countBusResults: false,
      health: options.health, signal,
    });
  let webLife = new AbortController();
  let web = webOf(config, webLife.signal);
  // agents' results are taken only while the engine (and so the store writer) runs; a batch sent
  // before start waits, one sent while stopping fails (the agent keeps it and sends it again)
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let stopping = false;
  const ingest = async (results: Parameters<Engine['ingest']>[0]) => {
    await started;
    if (stopping) throw new Error('shutting down: results not taken');
    return engine.ingest(results);
  };
  const app = new Hono();
  app.route('/', createReadinessRoutes({ store, onUnready: (error) => logger.warn({ err: error }, 'not ready: store unavailable'), unreadyReason: health.reason }));
  const agentConfig = {
    get checks() {
      return current.checks;
    },
  };
  app.route('/api/v1/agent', createAgentRoutes({ config: agentConfig, store, ingest, inMaintenance, logger, clientAddress: createClientAddress(config.server?.trustProxy), now: () => clock.now(), clockSkew: skew }));
  app.all('*', (c) => web.fetch(c.req.raw, c.env));

  const limits = inboundLimits(config.server);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host ?? '0.0.0.0', serverOptions: inboundServerOptions(limits) }, () => resolve(s));
    applyConnectionCaps(s as Server, limits, logger);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = !options.host || options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const services = await startBackgroundServices({ config, store, bus, clock, logger, baseUrl: `http://${shownHost}:${port}`, inMaintenance, owner: options.cluster?.owner, onDelivery: metrics.observeDelivery });
  await engine.start();
  store.settle();
  markStarted();
  // subscribed after the store writer (engine.start), so pages re-read only written results;
  // not awaited, so a slow page stream never holds up the result bus
  const unforward = bus.subscribe((event) => void pageBus.publish(event));
  let relay: PageEventRelay | undefined;
  if (options.cluster) {
    // loaded only in cluster mode: the relay LISTENs through pg, which embedded mode never loads
    const { startPageEventRelay } = await import('../../cluster/page-event-relay.ts');
    relay = startPageEventRelay({
      url: options.cluster.listenUrl,
      origin: options.cluster.owner,
      store,
      pageBus,
      onError: (error) => logger.warn({ err: error }, 'live update relay: connection problem (reconnecting)'),
    });
  }

  return {
    url: `http://${shownHost}:${port}`,
    port,
    async reload(next) {
      // built before anything changes: a theme that cannot be found throws here
      const nextCalendar = createMaintenanceCalendar(next.maintenance, next.checks);
      const nextLife = new AbortController();
      const previousCalendar = calendar;
      calendar = nextCalendar;
      let nextWeb: typeof web;
      try {
        nextWeb = webOf(next, nextLife.signal);
        await services.reload(next);
      } catch (error) {
        calendar = previousCalendar;
        nextLife.abort();
        throw error;
      }
      await engine.applyConfig(next);
      current = next;
      web = nextWeb;
      webLife.abort();
      webLife = nextLife;
      try {
        await syncConfigIncidents(store, next, clock.now());
      } catch (error) {
        // the rest is applied; the incidents are synced again at the next reload or start
        logger.error({ err: error }, 'config reload: the config incidents could not be saved; the rest of the new config is applied');
      }
    },
    async stop() {
      stopping = true;
      // stop taking requests first (open SSE streams are closed by the app's own shutdown)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await relay?.close();
      await engine.stop();
      unforward();
      await services.stop();
      storeClock?.stop();
      await closed;
    },
  };
}

/** The instance's clock corrected by the database's, re-measured every 30 s; each offset reported. */
async function startStoreClock(store: Store, own: Clock, owner: string, skew: SkewReporter, logger: Logger): Promise<StoreClock> {
  const clock = createStoreClock({
    base: own,
    readClock: () => store.readClock(),
    onOffset: (offsetMs) => skew.record({ kind: 'instance', name: owner }, offsetMs),
    onError: (error) => logger.warn({ err: error }, 'could not read the database clock; keeping the last offset'),
  });
  await clock.start();
  return clock;
}
