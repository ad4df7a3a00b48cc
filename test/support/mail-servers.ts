/**
 * Mail servers on 127.0.0.1 for the starttls probe: SMTP from the npm `smtp-server` package
 * (real STARTTLS and implicit TLS), and small IMAP and POP3 servers that speak just enough of
 * their protocol to greet, answer STARTTLS/STLS and upgrade the socket with node:tls.
 * @module
 */
import { createServer as createNetServer, type Socket } from 'node:net';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import { SMTPServer } from 'smtp-server';
import { listenTracked, type Listening } from './hostile/listen.ts';
import type { KeyPair } from './hostile/test-certs.ts';

/**
 * - `ok`: STARTTLS works;
 * - `implicit`: TLS from the first byte (IMAPS/POP3S/SMTPS);
 * - `refuse`: the server answers STARTTLS with an error (SMTP: does not advertise it);
 * - `inject`: agrees, then sends plaintext before the handshake;
 * - `stall`: agrees, then never starts TLS.
 */
export type MailMode = 'ok' | 'implicit' | 'refuse' | 'inject' | 'stall';

/** Starts an SMTP server with the given certificate. */
export async function startSmtpServer(pair: KeyPair, mode: 'ok' | 'implicit' | 'refuse'): Promise<Listening> {
  const server = new SMTPServer({
    key: pair.key,
    cert: pair.cert,
    secure: mode === 'implicit',
    hideSTARTTLS: mode === 'refuse',
    authOptional: true,
    logger: false,
    banner: 'upstate test',
  });
  server.on('error', () => {}); // probes hang up mid-dialog on purpose
  const listening = await new Promise<number>((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
    server.server.once('error', reject);
  });
  return { port: listening, close: () => new Promise<void>((done) => server.close(() => done())) };
}

interface Lines {
  greeting: string;
  starttls: RegExp;
  ok: (line: string) => string;
  no: (line: string) => string;
}

const PROTOCOLS: Record<'imap' | 'pop3', Lines> = {
  imap: {
    greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] upstate test ready',
    starttls: /^(\S+) STARTTLS$/i,
    ok: (line) => `${line.split(' ')[0]} OK Begin TLS negotiation now`,
    no: (line) => `${line.split(' ')[0]} BAD STARTTLS not available`,
  },
  pop3: {
    greeting: '+OK upstate test POP3 ready',
    starttls: /^STLS$/i,
    ok: () => '+OK Begin TLS negotiation',
    no: () => '-ERR STLS not available',
  },
};

/** After TLS: greet again on implicit TLS, answer anything with a polite "no". */
function serveSecure(socket: Socket | TLSSocket, lines: Lines): void {
  socket.on('error', () => {});
  socket.on('data', () => socket.write(`${lines.no('x')}\r\n`));
}

/** Starts a small IMAP or POP3 server in the given mode. */
export function startMailServer(protocol: 'imap' | 'pop3', pair: KeyPair, mode: MailMode): Promise<Listening> {
  const lines = PROTOCOLS[protocol];
  if (mode === 'implicit') {
    return listenTracked(
      createTlsServer({ key: pair.key, cert: pair.cert }, (socket) => {
        socket.write(`${lines.greeting}\r\n`);
        serveSecure(socket, lines);
      }),
    );
  }
  return listenTracked(
    createNetServer((socket) => {
      socket.write(`${lines.greeting}\r\n`);
      let buffered = '';
      const onData = (data: Buffer) => {
        buffered += data.toString('latin1');
        const end = buffered.indexOf('\r\n');
        if (end < 0) return;
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (!lines.starttls.test(line) || mode === 'refuse') return void socket.write(`${lines.no(line)}\r\n`);
        socket.off('data', onData);
        if (mode === 'stall') return void socket.write(`${lines.ok(line)}\r\n`);
        socket.write(`${lines.ok(line)}\r\n${mode === 'inject' ? `${lines.no('* injected')}\r\n` : ''}`);
        const secure = new TLSSocket(socket, { isServer: true, key: pair.key, cert: pair.cert });
        serveSecure(secure, lines);
      };
      socket.on('data', onData);
    }),
  );
}
