/**
 * Starts a real Redis server (Debian's `redis-server`) for probe tests: a free port on
 * 127.0.0.1, a temp working directory, no persistence, a password, and optionally a TLS port
 * with the test certificates. Install it with `apt-get install -y redis-server`.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisTestServer {
  port: number;
  /** TLS port (certificate: test/support/hostile/certs/valid.pem, signed by the test CA). */
  tlsPort: number;
  stop(): Promise<void>;
}


/** Starts redis-server with `requirepass`; resolves once it accepts connections (at most 10 s). */
export async function startRedisServer(password: string): Promise<RedisTestServer> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} not found; install it with: apt-get install -y redis-server`);
  const certs = fileURLToPath(new URL('./hostile/certs/', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'upstate-redis-'));
  const [port, tlsPort] = [await freePort(), await freePort()];
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no',
    '--requirepass', password, '--protected-mode', 'no', '--loglevel', 'warning', '--databases', '4',
    '--tls-port', String(tlsPort), '--tls-cert-file', join(certs, 'valid.pem'), '--tls-key-file', join(certs, 'valid-key.pem'),
    '--tls-ca-cert-file', join(certs, 'ca.pem'), '--tls-auth-clients', 'no',
  ];
  const child: ChildProcess = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server exited during start-up: ${log}`);
    }
    const up = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1', () => {
        probe.destroy();
        resolve(true);
      });
      probe.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start within 10 s: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, tlsPort, stop };
}
