/**
 * The authenticated part of the `ssh` probe, on top of an already connected socket: key
 * exchange, login with a password or private key, and optionally one command. Uses the `ssh2`
 * client (pure JavaScript; its optional native crypto binding is not needed), so no `ssh`
 * binary and no known_hosts file are involved — the host key is pinned in the check instead.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ConnectConfig } from 'ssh2';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { excerpt } from '../tcp/text-pattern.ts';

/** Command output kept for `expectOutput` and conditions; the rest is read and dropped. */
const MAX_OUTPUT_BYTES = 64 * 1024;

export interface SessionOptions {
  socket: Socket;
  target: string;
  username: string;
  password?: string;
  /** PEM text of the private key (already read from a file if one was configured). */
  privateKey?: string;
  passphrase?: string;
  /** `SHA256:<base64>` as `ssh-keygen -lf` prints it; the session fails when the host key differs. */
  hostKey?: string;
  command?: string;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface SessionResult {
  /** `performance.now()` when the key exchange completed. */
  handshakeAt: number;
  /** `performance.now()` when login succeeded. */
  authenticatedAt: number;
  hostKey: string;
  exec?: { exitCode: number | null; signal?: string; stdout: string; stderr: string; truncated: boolean };
}

/** `SHA256:…` fingerprint of a raw SSH public key blob, the way OpenSSH prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Logs in (and runs the command) over `socket`; rejects with a `ProbeFailure`. */
export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const { target, signal } = options;
  // loaded on the first login, so configs without ssh logins never load ssh2 and its crypto
  const { default: ssh2 } = await import('ssh2');
  const client = new ssh2.Client(); // CommonJS: named imports are not detected
  return new Promise<SessionResult>((resolve, reject) => {
    let settled = false;
    let handshakeAt = 0;
    let hostKey = '';
    const settle = (err: unknown, result?: SessionResult) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      client.end();
      if (err) reject(err);
      else resolve(result!);
    };
    let stage: 'key exchange' | 'login' | 'command' = 'key exchange';
    const onAbort = () => settle(new ProbeFailure('timeout', `timed out after ${options.timeoutMs} ms during the SSH ${stage} with ${target}`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    client.on('handshake', () => {
      handshakeAt = performance.now();
      stage = 'login';
    });
    client.on('error', (err: Error & { level?: string }) => settle(sessionFailure(err, target, hostKey, options.hostKey)));
    client.on('close', () => settle(new ProbeFailure('reset', `${target} closed the connection during the SSH ${stage}`)));
    client.on('ready', () => {
      const authenticatedAt = performance.now();
      if (options.command === undefined) return settle(undefined, { handshakeAt, authenticatedAt, hostKey });
      stage = 'command';
      client.exec(options.command, (err, stream) => {
        if (err) return settle(new ProbeFailure('protocol', `${target} refused to run the command: ${err.message}`));
        const out = { stdout: '', stderr: '', truncated: false };
        const keep = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
          const room = MAX_OUTPUT_BYTES - out[key].length;
          if (chunk.length > room) out.truncated = true;
          if (room > 0) out[key] += chunk.toString('utf8', 0, Math.min(room, chunk.length));
        };
        let exitCode: number | null = null;
        let exitSignal: string | undefined;
        stream.on('data', keep('stdout'));
        stream.stderr.on('data', keep('stderr'));
        stream.on('exit', (code: number | null, sig?: string) => {
          exitCode = code;
          exitSignal = sig ?? undefined;
        });
        stream.on('close', () =>
          settle(undefined, { handshakeAt, authenticatedAt, hostKey, exec: { exitCode, ...(exitSignal ? { signal: exitSignal } : {}), ...out } }),
        );
      });
    });

    const config: ConnectConfig = {
      sock: options.socket,
      username: options.username,
      ident: 'Upstate',
      // The probe's own signal bounds the session; ssh2's timers stay out of the way.
      readyTimeout: options.timeoutMs + 60_000,
      keepaliveInterval: 0,
      tryKeyboard: options.password !== undefined,
      hostVerifier: (key: Buffer) => {
        hostKey = fingerprint(key);
        return options.hostKey === undefined || options.hostKey === hostKey;
      },
    };
    if (options.password !== undefined) config.password = options.password;
    if (options.privateKey !== undefined) config.privateKey = options.privateKey;
    if (options.passphrase !== undefined) config.passphrase = options.passphrase;
    // keyboard-interactive with the same password, for servers that only offer that method.
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => options.password ?? '')));
    try {
      client.connect(config);
    } catch (err) {
      // ssh2 parses the private key synchronously; its messages never contain the key itself.
      settle(new ProbeFailure('auth', `cannot use the private key: ${(err as Error).message}`));
    }
  });
}

function sessionFailure(err: Error & { level?: string }, target: string, hostKey: string, pinned: string | undefined): ProbeFailure {
  if (pinned !== undefined && hostKey && hostKey !== pinned) {
    return new ProbeFailure('auth', `${target} presented host key ${hostKey}, expected ${pinned}`);
  }
  switch (err.level) {
    case 'client-authentication':
      return new ProbeFailure('auth', `${target} rejected the login (${err.message})`);
    case 'client-timeout':
      return new ProbeFailure('timeout', `${target} did not complete the SSH handshake in time`);
    case 'client-socket':
      return new ProbeFailure('reset', `connection to ${target} failed during the SSH session: ${err.message}`);
    default:
      return new ProbeFailure('protocol', `SSH with ${target} failed: ${excerpt(err.message, 160)}`);
  }
}
