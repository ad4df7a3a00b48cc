/**
 * The targets of the probe CPU benchmark, in their own process so their CPU never counts
 * against the probes: a minimal HTTP server, a TLS server, a UDP echo, an SSH server, SMTP
 * (STARTTLS), IMAP and POP3 (STARTTLS) and a WebSocket echo — the same local servers the tests use.
 * Sends `{ type: 'ready', ports, ssh }` over IPC and exits when the parent goes away.
 * @module
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTlsServer } from 'node:tls';
import { listenTracked } from '../../test/support/hostile/listen.ts';
import { loadTestCerts } from '../../test/support/hostile/test-certs.ts';
import { startUdpEcho } from '../../test/support/hostile/hostile-udp.ts';
import { startSshServer } from '../../test/support/ssh-server.ts';
import { startMailServer, startSmtpServer } from '../../test/support/mail-servers.ts';
import { startWebsocketServer } from '../../test/support/websocket-server.ts';

const certs = loadTestCerts();
const http = await listenTracked(
  createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  }),
);
const tls = await listenTracked(createTlsServer({ ...certs.valid }, (socket) => socket.end()));
const udp = await startUdpEcho();
const ssh = await startSshServer();
const smtp = await startSmtpServer(certs.valid, 'ok');
const imap = await startMailServer('imap', certs.valid, 'ok');
const pop3 = await startMailServer('pop3', certs.valid, 'ok');
const ws = await startWebsocketServer();

process.send!({
  type: 'ready',
  ports: { http: http.port, tls: tls.port, udp: udp.port, ssh: ssh.port, smtp: smtp.port, imap: imap.port, pop3: pop3.port, ws: ws.port },
  ssh: { username: ssh.username, password: ssh.password, clientKey: ssh.clientKey },
  ca: certs.ca,
});
process.on('disconnect', () => process.exit(0));
