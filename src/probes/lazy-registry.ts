/**
 * The probe kinds as runners only, each kind's module imported on its first run: what the
 * engine needs (`run`) without the config schemas. A process that validated its config elsewhere
 * (the Lambda functions read the config validated when the zip was built) thus compiles and
 * evaluates only the kinds its checks use — a config of http checks never loads the ssh, dns or
 * websocket code, nor zod for their schemas. In a bundle each `import()` is its own chunk.
 *
 * The keys are the registry's (registry.ts), and each loader resolves to the registry probe's own
 * `run` (lazy-registry.test.ts checks both), so a run behaves exactly as with the registry. A kind
 * whose run is split from its schema (http: http-run.ts) loads without zod.
 * @module
 */
import { loadOnce } from '../kernel/load-once.ts';
import type { Probe, ProbeRunners } from './probe.ts';

/** A runner whose module is imported on the first run; a failed import is retried on the next. */
function lazyProbe(load: () => Promise<Pick<Probe<any>, 'run'>>): ProbeRunners[string] {
  const loaded = loadOnce(load);
  return {
    async run(config, ctx) {
      return (await loaded()).run(config, ctx);
    },
  };
}

/** How to load each kind of registry.ts (lazy-registry.test.ts checks each gives the registry probe's own `run`). */
export const probeLoaders = {
  // the run alone: a run never needs the schema (nor zod)
  http: async () => (await import('./http/http-run.ts')).httpRun,
  tcp: async () => (await import('./tcp/tcp-probe.ts')).tcpProbe,
  tls: async () => (await import('./tls/tls-probe.ts')).tlsProbe,
  dns: async () => (await import('./dns/dns-probe.ts')).dnsProbe,
  heartbeat: async () => (await import('./heartbeat/heartbeat-probe.ts')).heartbeatProbe,
  icmp: async () => (await import('./icmp/icmp-probe.ts')).icmpProbe,
  udp: async () => (await import('./udp/udp-probe.ts')).udpProbe,
  ssh: async () => (await import('./ssh/ssh-probe.ts')).sshProbe,
  starttls: async () => (await import('./starttls/starttls-probe.ts')).starttlsProbe,
  websocket: async () => (await import('./websocket/websocket-probe.ts')).websocketProbe,
  grpc: async () => (await import('./grpc/grpc-probe.ts')).grpcProbe,
  postgres: async () => (await import('./postgres/postgres-probe.ts')).postgresProbe,
  mysql: async () => (await import('./mysql/mysql-probe.ts')).mysqlProbe,
  redis: async () => (await import('./redis/redis-probe.ts')).redisProbe,
  steps: async () => (await import('./steps/steps-probe.ts')).stepsProbe,
  browser: async () => (await import('./browser/browser-probe.ts')).browserProbe,
} satisfies Record<string, () => Promise<Pick<Probe<any>, 'run'>>>;

/** Every kind of registry.ts, loaded on its first run. */
export const lazyProbes: Record<keyof typeof probeLoaders, ProbeRunners[string]> = Object.fromEntries(
  Object.entries(probeLoaders).map(([kind, load]) => [kind, lazyProbe(load)]),
) as Record<keyof typeof probeLoaders, ProbeRunners[string]>;
