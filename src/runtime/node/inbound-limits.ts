/**
 * Limits on inbound connections of the Node server, so one client cannot exhaust it (or the
 * file descriptors the probes need): a total cap (`maxConnections`), a cap per socket address,
 * and timeouts for headers, the whole request (a slowly trickled body) and idle keep-alive.
 * Connections over a cap are closed on accept; that is logged at a bounded rate (the first one,
 * then one summary a minute at most), so a flood cannot flood the log too.
 * @module
 */
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerConfig } from '../../http/server-config.ts';

/** The limits as the Node server applies them (durations in ms). */
export type InboundLimits = Pick<ServerConfig, 'maxConnections' | 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout'> & {
  maxConnectionsPerClient: number;
};

/** Default per-client cap without a trusted proxy in front. */
const PER_CLIENT_DEFAULT = 64;
const SUMMARY_EVERY_MS = 60_000;

/** The limits of a `server:` section (absent = defaults), resolving the per-client default. */
export function inboundLimits(server: ServerConfig | undefined): InboundLimits {
  const behindProxy = server !== undefined && server.trustProxy !== 0;
  return {
    maxConnections: server?.maxConnections ?? 512,
    maxConnectionsPerClient: server?.maxConnectionsPerClient ?? (behindProxy ? 0 : PER_CLIENT_DEFAULT),
    headersTimeout: server?.headersTimeout ?? 10_000,
    requestTimeout: server?.requestTimeout ?? 30_000,
    keepAliveTimeout: server?.keepAliveTimeout ?? 5_000,
  };
}

/** Options for `http.createServer`. */
export function inboundServerOptions(limits: InboundLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeout,
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    // Node checks the two request timeouts on this interval (default 30 s, which would let a
    // trickled body outlive a short requestTimeout by half a minute)
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeout / 4))),
  };
}

/** Applies the connection caps and the first-request timeout to the server (they end with it). */
export function applyConnectionCaps(server: Server, limits: InboundLimits, logger: { warn(obj: unknown, msg?: string): void }): void {
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let lastLog = Number.NEGATIVE_INFINITY;
  const noteDrop = (reason: string) => {
    dropped++;
    const now = Date.now();
    if (now - lastLog < SUMMARY_EVERY_MS) return;
    logger.warn({ dropped, reason, maxConnections: limits.maxConnections, maxConnectionsPerClient: limits.maxConnectionsPerClient }, 'inbound connections over the limit were closed');
    lastLog = now;
    dropped = 0;
  };
  server.on('drop', () => noteDrop('maxConnections'));
  // Node's headersTimeout starts with the first byte of a request: a connection that never sends
  // one would stay open for ever, so it gets the same bound from the moment it is accepted
  const silent = new WeakMap<Socket, NodeJS.Timeout>();
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), limits.headersTimeout);
    timer.unref();
    silent.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (request: { socket: Socket }) => {
    clearTimeout(silent.get(request.socket));
    silent.delete(request.socket);
  });
  if (limits.maxConnectionsPerClient === 0) return;
  const perClient = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = socket.remoteAddress ?? 'unknown';
    const count = (perClient.get(key) ?? 0) + 1;
    if (count > limits.maxConnectionsPerClient) {
      noteDrop('maxConnectionsPerClient');
      socket.destroy();
      return;
    }
    perClient.set(key, count);
    socket.once('close', () => {
      const left = (perClient.get(key) ?? 1) - 1;
      if (left <= 0) perClient.delete(key);
      else perClient.set(key, left);
    });
  });
}
