/**
 * A recording HTTP receiver for notifier tests: a real server on 127.0.0.1 that keeps every
 * request and answers as told — 2xx, a 500 failure, or never (hang, to exercise timeouts).
 * @module
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverMode = 'ok' | 'fail' | 'refuse' | 'hang';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** How the receiver answered: `ok` (2xx), `fail` (500), `refuse` (400, like Slack refusing a payload) or `hang` (never). */
  outcome: ReceiverMode;
  at: number;
  json<T = any>(): T;
}

export interface HttpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`; any path is accepted. */
  url: string;
  requests: RecordedRequest[];
  /** Requests answered with 2xx (what a real receiver would have accepted). */
  delivered(): RecordedRequest[];
  setMode(mode: ReceiverMode): void;
  /** Waits until `count` requests matching `filter` arrived (bounded by `timeoutMs`). */
  waitFor(count: number, options?: { timeoutMs?: number; filter?: (r: RecordedRequest) => boolean }): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export interface HttpReceiverOptions {
  mode?: ReceiverMode;
  /** Status of an `ok` answer (PagerDuty answers 202, Discord 204). */
  okStatus?: number;
  okBody?: string;
}

export async function startHttpReceiver(options: HttpReceiverOptions = {}): Promise<HttpReceiver> {
  let mode: ReceiverMode = options.mode ?? 'ok';
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const outcome = mode;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        outcome,
        at: Date.now(),
        json: () => JSON.parse(body),
      });
      if (outcome === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (outcome === 'refuse') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_blocks');
        return;
      }
      if (outcome === 'fail') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver failing on purpose');
        return;
      }
      res.writeHead(options.okStatus ?? 200, { 'content-type': 'application/json' }).end(options.okBody ?? '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered: () => requests.filter((r) => r.outcome === 'ok'),
    setMode(next) {
      mode = next;
    },
    async waitFor(count, { timeoutMs = 20_000, filter = () => true } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const matching = requests.filter(filter);
        if (matching.length >= count) return matching;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`expected ${count} requests within ${timeoutMs}ms, got ${requests.filter(filter).length}`);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
