/**
 * WebSocket servers on 127.0.0.1 (npm `ws`), plain and TLS, with one behaviour per path:
 * - `/echo`: echoes every message as `echo: <text>`;
 * - `/greet`: says "welcome" first, then echoes;
 * - `/silent`: opens and never sends;
 * - `/big`: answers any message with 1 MiB;
 * - `/close`: closes with 1011 "going away" on the first message;
 * - `/deny`: refuses the upgrade with HTTP 403.
 * @module
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { WebSocketServer } from 'ws';
import { listenTracked, type Listening } from './hostile/listen.ts';
import type { KeyPair } from './hostile/test-certs.ts';

/** Starts the server; with a key pair it speaks wss. */
export async function startWebsocketServer(pair?: KeyPair): Promise<Listening & { headers: Record<string, string | undefined>[] }> {
  const headers: Record<string, string | undefined>[] = [];
  const server: Server = pair ? createHttpsServer({ ...pair }) : createHttpServer();
  server.on('request', (_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required'));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    headers.push({ authorization: req.headers.authorization, protocol: req.headers['sec-websocket-protocol'] });
    if (req.url === '/deny') return void socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      if (req.url === '/greet') ws.send('welcome');
      ws.on('message', (data) => {
        const text = String(data);
        if (req.url === '/echo' || req.url === '/greet') ws.send(`echo: ${text}`);
        else if (req.url === '/big') ws.send(Buffer.alloc(1024 * 1024, 0x61));
        else if (req.url === '/close') ws.close(1011, 'going away');
      });
    });
  });
  const listening = await listenTracked(server);
  return { ...listening, headers };
}
