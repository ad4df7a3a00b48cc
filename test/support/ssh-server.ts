/**
 * A real SSH server on 127.0.0.1 for probe tests, built on the `ssh2` package's Server class
 * (pure JavaScript: no sshd, no root, no temp config). It knows one user with a password and one
 * public key, and a few commands:
 * - `echo <text>`: prints the text, exits 0;
 * - `fail`: prints "boom" on stderr, exits 3;
 * - `drip`: prints a byte every 50 ms, forever;
 * - `flood`: prints 1 MiB chunks as fast as the channel takes them, forever.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import ssh2, { type Connection } from 'ssh2';

const { Server, utils } = ssh2; // CommonJS: named imports are not detected
import { listenTracked } from './hostile/listen.ts';
import { fingerprint } from '../../src/probes/ssh/ssh-session.ts';

export interface SshTestServer {
  port: number;
  username: string;
  password: string;
  /** OpenSSH-format private key the server accepts for `username`. */
  clientKey: string;
  /** The server's host key fingerprint, `SHA256:…`. */
  hostKey: string;
  /** Times a password was offered, to prove what the probe sent. */
  logins: { method: string; ok: boolean }[];
  close(): Promise<void>;
}

function same(a: string | Buffer, b: string | Buffer): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Starts the server with fresh keys. */
export async function startSshServer(): Promise<SshTestServer> {
  const host = utils.generateKeyPairSync('ed25519');
  const client = utils.generateKeyPairSync('ed25519');
  const clientPublic = utils.parseKey(client.public);
  if (clientPublic instanceof Error) throw clientPublic;
  const hostPublic = utils.parseKey(host.public);
  if (hostPublic instanceof Error) throw hostPublic;
  const username = 'probe';
  const password = 'correct horse battery staple';
  const logins: SshTestServer['logins'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = new Server({ hostKeys: [host.private], ident: 'UpstateTestSSH_1.0' }, (connection: Connection) => {
    connection.on('error', () => {});
    connection.on('authentication', (ctx) => {
      let ok = false;
      if (ctx.method === 'password') ok = same(ctx.username, username) && same(ctx.password, password);
      else if (ctx.method === 'publickey') {
        ok = same(ctx.username, username) && ctx.key.algo === clientPublic.type && same(ctx.key.data, clientPublic.getPublicSSH());
        if (ok && ctx.signature && ctx.blob) ok = clientPublic.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
        else if (ok) return ctx.accept(); // the key query before signing
      }
      if (ctx.method !== 'none') logins.push({ method: ctx.method, ok });
      if (ok) ctx.accept();
      else ctx.reject(['password', 'publickey']);
    });
    connection.on('ready', () => {
      connection.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const [name, ...rest] = info.command.split(' ');
          if (name === 'echo') {
            stream.write(`${rest.join(' ')}\n`);
            stream.exit(0);
            return void stream.end();
          }
          if (name === 'fail') {
            stream.stderr.write('boom\n');
            stream.exit(3);
            return void stream.end();
          }
          if (name === 'drip' || name === 'flood') {
            const chunk = name === 'drip' ? 'x' : 'y'.repeat(1024 * 1024);
            const timer = setInterval(() => stream.write(chunk), name === 'drip' ? 50 : 5);
            timers.add(timer);
            stream.on('close', () => {
              clearInterval(timer);
              timers.delete(timer);
            });
            return;
          }
          stream.stderr.write(`${name}: command not found\n`);
          stream.exit(127);
          stream.end();
        });
      });
    });
  });
  // A plain net server hands its sockets to ssh2, so listenTracked can destroy them on close.
  const listening = await listenTracked(createServer((socket) => server.injectSocket(socket)));
  return {
    port: listening.port,
    username,
    password,
    clientKey: client.private,
    hostKey: fingerprint(hostPublic.getPublicSSH()),
    logins,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      await listening.close();
    },
  };
}
