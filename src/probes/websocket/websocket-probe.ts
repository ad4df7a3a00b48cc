/**
 * The `websocket` probe: opens a WebSocket (ws:// or wss://), optionally sends one message and
 * waits for a message that matches `expect`. The connection is made by timed-connect.ts (so DNS,
 * connect and TLS are timed and the certificate is reported like an https check) and handed to
 * the `ws` client, which performs the HTTP upgrade (timed as `handshake`).
 *
 * Messages are capped at `maxMessageBytes` by ws itself (`maxPayload`), so a huge frame closes
 * the socket instead of filling memory; compression is not offered, so nothing can inflate.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { z } from 'zod';
import { defineProbe, type ProbeContext } from '../probe.ts';
import type { Failure, ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyRunError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { describePattern, excerpt, matchesPattern, type TextPattern } from '../tcp/text-pattern.ts';
import { textPatternSchema } from '../tcp/text-pattern-schema.ts';
import { ms, timedConnect, type Connection } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { caSchema } from '../tls/ca-schema.ts';

const websocketConfigSchema = z.strictObject({
  url: z
    .string()
    .trim()
    .refine((value) => URL.canParse(value) && /^wss?:$/.test(new URL(value).protocol), 'must be an absolute ws:// or wss:// URL'),
  /** Extra request headers (e.g. an Authorization token from `${ENV}`); never shown in results. */
  headers: z.record(z.string(), z.string()).optional(),
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  protocols: z.array(z.string().min(1)).min(1).optional(),
  /** A text message sent once the socket is open. */
  send: z.string().optional(),
  /** A message containing this (substring or `{ regex }`) must arrive; without it, opening is enough. */
  expect: textPatternSchema.optional(),
  /** Largest message accepted; a bigger one fails the check (default 64 KiB). */
  maxMessageBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(64 * 1024),
  tls: z.strictObject({ verify: z.boolean().default(true), ca: caSchema.optional(), servername: z.string().min(1).optional() }).optional(),
  ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
});

export type WebsocketConfig = z.output<typeof websocketConfigSchema>;

/** The URL without credentials, query or fragment: safe to display. */
function display(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Resolves when the upgrade completes; rejects with a classified failure. */
function openSocket(ws: WebSocket, ctx: ProbeContext, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      ctx.signal.removeEventListener('abort', onAbort);
      ws.off('open', onOpen).off('error', done).off('unexpected-response', onResponse);
      if (err) reject(err);
      else resolve(performance.now());
    };
    const onOpen = () => done();
    const onAbort = () => done(new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms in the WebSocket handshake with ${target}`));
    const onResponse = (_req: unknown, res: IncomingMessage) => {
      res.resume();
      done(new ProbeFailure('status', `${target} answered the WebSocket upgrade with HTTP ${res.statusCode} instead of 101`));
    };
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    ws.on('open', onOpen).on('error', done).on('unexpected-response', onResponse);
  });
}

/** Waits for a message matching `pattern`; resolves with it and its arrival time. */
function awaitMessage(ws: WebSocket, pattern: TextPattern | undefined, ctx: ProbeContext, target: string): Promise<{ text: string; at: number }> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let last: string | undefined;
    const done = (err: unknown, value?: { text: string; at: number }) => {
      ctx.signal.removeEventListener('abort', onAbort);
      ws.off('message', onMessage).off('close', onClose).off('error', onError);
      if (err) reject(err);
      else resolve(value!);
    };
    const wanted = pattern ? `a message containing ${describePattern(pattern)}` : 'a message';
    const got = () => (last === undefined ? '' : ` (got ${count} other message${count === 1 ? '' : 's'}, last ${excerpt(last)})`);
    const onAbort = () => done(new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms waiting for ${wanted} from ${target}${got()}`));
    const onClose = (code: number, reason: Buffer) =>
      done(new ProbeFailure(code === 1009 ? 'body' : 'reset', `${target} closed the WebSocket (${code}${reason.length ? ` ${excerpt(reason.toString('utf8'))}` : ''}) before sending ${wanted}${got()}`));
    const onError = (err: Error & { code?: string }) =>
      done(err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? new ProbeFailure('body', `${target} sent a message larger than maxMessageBytes`) : err);
    const onMessage = (data: WebSocket.RawData) => {
      const at = performance.now();
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
      if (!pattern || matchesPattern(pattern, text)) return done(undefined, { text, at });
      count++;
      last = text.slice(0, 200); // only a short excerpt of skipped messages is kept
    };
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    ws.on('message', onMessage).on('close', onClose).on('error', onError);
  });
}

/** The `websocket` probe plug-in. */
export const websocketProbe = defineProbe<WebsocketConfig>({
  kind: 'websocket',
  schema: websocketConfigSchema,
  describe: (config) => {
    // the config's own string when equal: one copy per check, not two
    const shown = display(new URL(config.url));
    return shown === config.url ? config.url : shown;
  },
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const url = new URL(config.url);
    const target = display(url);
    const secure = url.protocol === 'wss:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let connection: Connection | undefined;
    let ws: WebSocket | undefined;
    const timings: Partial<Timings> = {};
    const details: Record<string, unknown> = {};
    const finish = (failure?: Failure, body?: string): ProbeOutcome => {
      const all = { ...connection?.timings, ...timings, total: ms(performance.now() - startedAt) };
      return { ok: !failure, latencyMs: all.total, timings: all, details, ...(failure ? { failure } : {}), ...(body !== undefined ? { body } : {}) };
    };
    try {
      const tls = secure ? { verify: config.tls?.verify ?? true, servername: config.tls?.servername, ca: await loadCa(config.tls?.ca), alpn: ['http/1.1'] } : undefined;
      connection = await timedConnect({ host, port: Number(url.port) || (secure ? 443 : 80), family: config.ipFamily, tls, signal: ctx.signal, timeoutMs: ctx.timeoutMs, now: ctx.now });
      if (connection.certificate) details.certificate = connection.certificate;
      if (connection.verifyError) details.verifyError = connection.verifyError;
      const socket = connection.socket;
      socket.on('error', () => {});
      const upgradeStart = performance.now();
      ws = new WebSocket(url, config.protocols, {
        headers: config.headers,
        perMessageDeflate: false,
        maxPayload: config.maxMessageBytes,
        followRedirects: false,
        // The socket is already connected (and verified): ws only performs the upgrade on it.
        createConnection: () => socket,
      } as WebSocket.ClientOptions);
      ws.on('error', () => {}); // every wait below listens for errors itself
      const messages = config.expect !== undefined || config.send !== undefined ? awaitMessage(ws, config.expect, ctx, target) : undefined;
      messages?.catch(() => {});
      const openedAt = await openSocket(ws, ctx, target);
      timings.handshake = ms(openedAt - upgradeStart);
      if (ws.protocol) details.websocket = { protocol: ws.protocol };
      if (!messages) return finish();
      if (config.send !== undefined) ws.send(config.send);
      const message = await messages;
      timings.firstByte = ms(message.at - openedAt);
      return finish(undefined, message.text);
    } catch (err) {
      if (err instanceof ProbeFailure && err.details) Object.assign(details, err.details);
      const failure = classifyRunError(err, ctx, { target, host });
      return finish(failure);
    } finally {
      ws?.terminate();
      connection?.socket.destroy();
    }
  },
});
