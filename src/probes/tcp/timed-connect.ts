/**
 * Opens one fresh TCP (optionally TLS) connection and measures each phase: DNS lookup, TCP
 * connect and TLS handshake. Shared by every kind that opens its own socket (http — as undici's
 * connector — tcp, tls, ssh, starttls, websocket, redis), so every kind measures the same way
 * and reports certificates alike.
 *
 * TLS is always negotiated with `rejectUnauthorized: false` and verified here instead: that way a
 * rejected certificate still yields its facts (expiry, subject, issuer) for the result.
 * @module
 */
import { lookup as dnsLookup } from 'node:dns';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { ProbeFailure } from './probe-failure.ts';
import type { CertificateFacts, ChainEntry } from '../tls/certificate-facts.ts';
import { upgradeTls, type TlsSettings } from '../tls/upgrade-tls.ts';

export interface ConnectTarget {
  host: string;
  port: number;
  /** Address family preference; by default both are tried (happy eyeballs). */
  family?: 4 | 6;
  tls?: TlsSettings;
  /** Aborting destroys the socket and rejects with a `timeout` failure naming the phase. */
  signal: AbortSignal;
  /** Only for the timeout message. */
  timeoutMs: number;
  /** Wall clock, epoch ms, for certificate expiry. */
  now(): number;
  /** Told when a phase starts, so callers can say where a timeout struck. */
  onPhase?(phase: ConnectPhase): void;
}

/** Connection phases, in order (`dns` is skipped for IP literals). */
export type ConnectPhase = 'dns' | 'connect' | 'tls';

/** Phase durations in ms; `dns` is absent for IP literals, `tls` for plain TCP. */
interface ConnectTimings {
  dns?: number;
  connect: number;
  tls?: number;
}

export interface Connection {
  socket: Socket | TLSSocket;
  timings: ConnectTimings;
  /** `performance.now()` when the socket was ready (for first-byte timing). */
  readyAt: number;
  certificate?: CertificateFacts;
  chain?: ChainEntry[];
  /** OpenSSL/Node code of a failed verification (only when `verify` was false). */
  verifyError?: string;
}

const PHASE_TEXT = { dns: 'resolving', connect: 'connecting to', tls: 'in the TLS handshake with' } as const;

/** `host:port` for messages and display, with IPv6 literals bracketed (`[::1]:443`). */
export function hostPort(target: { host: string; port: number }): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** Rounds to 0.01 ms: finer digits are noise and bloat stored results. */
export function ms(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Connects to `target`; rejects with a `ProbeFailure` or a raw socket error (see classifyError). */
export function timedConnect(target: ConnectTarget): Promise<Connection> {
  const { host, port, signal } = target;
  const display = hostPort(target);
  return new Promise<Connection>((resolve, reject) => {
    const startedAt = performance.now();
    let phase: ConnectPhase = isIP(host) ? 'connect' : 'dns';
    const enter = (next: ConnectPhase) => {
      phase = next;
      target.onPhase?.(next);
    };
    target.onPhase?.(phase);
    let dnsDoneAt: number | undefined;
    let settled = false;

    // Wraps the resolver only to time it; the answer passes through untouched.
    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, options, ((err: NodeJS.ErrnoException | null, ...rest: unknown[]) => {
        dnsDoneAt = performance.now();
        if (!err) enter('connect');
        (callback as (...args: unknown[]) => void)(err, ...rest);
      }) as never);
    };

    const raw = netConnect({ host, port, family: target.family, lookup, noDelay: true });
    let socket: Socket | TLSSocket = raw;

    const settle = (err: unknown, connection?: Connection) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err) {
        socket.destroy();
        raw.destroy();
        reject(err);
      } else resolve(connection!);
    };
    // Listeners stay attached after settling (as no-ops) so a late error never goes unhandled
    // in the gap before the caller adds its own.
    const onError = (err: Error) => settle(err);
    const onAbort = () =>
      settle(new ProbeFailure('timeout', `timed out after ${target.timeoutMs} ms ${PHASE_TEXT[phase]} ${display}`, { cause: signal.reason }));

    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    raw.on('error', onError);

    raw.once('connect', () => {
      const connectedAt = performance.now();
      const timings: ConnectTimings = { connect: ms(connectedAt - (dnsDoneAt ?? startedAt)) };
      if (dnsDoneAt !== undefined) timings.dns = ms(dnsDoneAt - startedAt);
      const tlsSettings = target.tls;
      if (!tlsSettings) return settle(undefined, { socket: raw, timings, readyAt: connectedAt });

      enter('tls');
      upgradeTls(raw, tlsSettings, host, display, target.now, (secure) => {
        socket = secure;
        secure.on('error', onError); // stays attached: see above
      }).then(
        (secured) => {
          const readyAt = performance.now();
          timings.tls = ms(readyAt - connectedAt);
          settle(undefined, { ...secured, timings, readyAt });
        },
        (err: unknown) => settle(err),
      );
    });
  });
}
