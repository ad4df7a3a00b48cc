/**
 * An undici connector that opens every connection through `timedConnect`, so the http probe
 * measures DNS, TCP connect and TLS itself (no faked numbers, no global diagnostics channel to
 * untangle between concurrent checks) and sees the server certificate even when it is rejected.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { buildConnector } from 'undici';
import { timedConnect, type Connection, type ConnectPhase } from '../tcp/timed-connect.ts';

export interface ConnectorOptions {
  family?: 4 | 6;
  verify: boolean;
  ca?: string[];
  signal: AbortSignal;
  timeoutMs: number;
  now(): number;
  onPhase(phase: ConnectPhase): void;
  /** Called with each new connection and, later, the time its first reply byte arrived. */
  onConnection(connection: Connection): void;
  onFirstByte(at: number): void;
}

/** Builds the connector; one per probe run (it reports into that run's state). */
export function createTimedConnector(options: ConnectorOptions): buildConnector.connector {
  return (target, callback) => {
    const https = target.protocol === 'https:';
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    timedConnect({
      host,
      port: Number(target.port) || (https ? 443 : 80),
      family: options.family,
      tls: https ? { verify: options.verify, ca: options.ca, servername: target.servername || host, alpn: ['http/1.1'] } : undefined,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      now: options.now,
      onPhase: options.onPhase,
    }).then(
      (connection) => {
        options.onConnection(connection);
        // undici reads on 'readable' too, so a second 'readable' listener observes without
        // changing the stream's mode (a 'data' listener would steal bytes).
        connection.socket.once('readable', () => options.onFirstByte(performance.now()));
        callback(null, connection.socket);
      },
      (err: Error) => callback(err, null),
    );
  };
}
