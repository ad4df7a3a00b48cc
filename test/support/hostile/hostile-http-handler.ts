/**
 * The request handler behind the hostile HTTP and HTTPS fixtures. Each path is one behaviour a
 * monitored service can show; every timer and write loop stops when its socket closes, so
 * closing the server frees everything.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** 100 MB, streamed from one reused chunk (never allocated whole). */
export const BIG_BODY_BYTES = 100 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** The paths the handler serves, for tests to reference by name. */
export const HOSTILE_PATHS = {
  ok: '/ok',
  json: '/json',
  echo: '/echo',
  serverError: '/status/500',
  status: (code: number) => `/status/${code}`,
  slow: (ms: number) => `/slow/${ms}`,
  endless: '/endless',
  big: '/big',
  redirectLoop: '/redirect-loop/a',
  redirectChain: '/redirect-chain/1',
  redirectOnce: '/redirect-once',
  resetMidBody: '/reset-mid-body',
} as const;

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  if (status === 204 || status === 304 || status < 200) return void res.writeHead(status).end(); // no body allowed
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-upstate-fixture': 'hostile' });
  res.end(body);
}

/** Writes 100 MB respecting back-pressure; stops when the client goes away. */
function streamBig(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG_BODY_BYTES });
  let sent = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && sent < BIG_BODY_BYTES) {
      sent += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  pump();
}

/** Handles one request of the hostile fixture. */
export function hostileHttpHandler(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  let match: RegExpExecArray | null;
  if (path === '/ok') return send(res, 200, 'OK upstate fixture');
  if (path === '/json') return send(res, 200, JSON.stringify({ status: 'ok', version: 3, items: [{ id: 1 }, { id: 2 }] }), 'application/json');
  if ((match = /^\/status\/(\d{3})$/.exec(path))) return send(res, Number(match[1]), `status ${match[1]}`);
  if ((match = /^\/slow\/(\d+)$/.exec(path))) {
    const timer = setTimeout(() => send(res, 200, 'finally'), Number(match[1]));
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (path === '/echo') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => send(res, 200, JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }), 'application/json'));
    return;
  }
  if (path === '/endless') {
    // Dribbles forever: never large, never finished.
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('start ');
    const timer = setInterval(() => res.write('x'.repeat(100)), 50);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if (path === '/big') return streamBig(res);
  if ((match = /^\/redirect-loop\/([ab])$/.exec(path))) {
    res.writeHead(302, { location: match[1] === 'a' ? '/redirect-loop/b' : '/redirect-loop/a', 'content-length': 0 });
    return void res.end();
  }
  if ((match = /^\/redirect-chain\/(\d+)$/.exec(path))) {
    res.writeHead(302, { location: `/redirect-chain/${Number(match[1]) + 1}`, 'content-length': 0 });
    return void res.end();
  }
  if (path === '/redirect-once') {
    res.writeHead(301, { location: '/ok', 'content-length': 0 });
    return void res.end();
  }
  if (path === '/reset-mid-body') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100_000 });
    res.write('y'.repeat(1000), () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
    return;
  }
  send(res, 404, 'no such fixture path');
}
