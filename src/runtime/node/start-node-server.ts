/**
 * Assembles one Node process: bus, monitor (scheduler + writers), web app, HTTP server.
 * Used by `upstate serve` and by end-to-end tests, so both run exactly the same wiring.
 * @module
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { UpstateConfig } from '../../config/types.js';
import type { Store } from '../../storage/store.js';
import type { Logger } from './logger.js';
import { createResultBus } from '../../pipeline/result-bus.js';
import { createMonitor } from '../../pipeline/monitor.js';
import { probes as defaultProbes, type ProbeRegistry } from '../../probes/registry.js';
import { systemClock, type Clock } from '../../scheduler/clock.js';
import { createApp } from '../../http/create-app.js';
import { createMaintenanceCalendar } from '../../maintenance/create-maintenance-calendar.js';
import { startBackgroundServices } from './background-services.js';

export interface NodeServerOptions {
  config: UpstateConfig;
  store: Store;
  logger: Logger;
  port: number;
  host?: string;
  clock?: Clock;
  probes?: ProbeRegistry;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting requests and checks, waits for running checks, flushes results. */
  stop(): Promise<void>;
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const { config, store, logger } = options;
  const clock = options.clock ?? systemClock;
  const bus = createResultBus((error) => logger.error({ err: error }, 'result listener failed'));
  const calendar = createMaintenanceCalendar(config.maintenance, config.checks);
  const inMaintenance = (check: string, at: number) => calendar.activeFor(check, at) !== undefined;
  const monitor = createMonitor({ config, store, bus, clock, probes: options.probes ?? defaultProbes, inMaintenance });
  const app = createApp({ config, store, bus, now: () => clock.now(), logger });

  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host ?? '0.0.0.0' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = !options.host || options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const services = await startBackgroundServices({ config, store, bus, clock, logger, baseUrl: `http://${shownHost}:${port}`, inMaintenance });
  await monitor.start();

  return {
    url: `http://${shownHost}:${port}`,
    port,
    async stop() {
      // stop taking requests first (open SSE streams are closed by the app's own shutdown)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await monitor.stop();
      await services.stop();
      await closed;
    },
  };
}
