/**
 * The `tcp` probe: connects to `host:port` (optionally over TLS), optionally sends a line and
 * optionally waits for a banner matching `expect` — enough for SSH, SMTP, Redis, or any port
 * that should simply accept connections.
 * @module
 */
import { z } from 'zod';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { defineProbe, type ProbeContext } from '../probe.ts';
import type { ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyRunError } from './classify-error.ts';
import { ProbeFailure } from './probe-failure.ts';
import { describePattern, excerpt, matchesPattern, type TextPattern } from './text-pattern.ts';
import { textPatternSchema } from './text-pattern-schema.ts';
import { hostPort, ms, timedConnect, type Connection } from './timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { caSchema } from '../tls/ca-schema.ts';

/** Bytes of reply kept while waiting for `expect`; a banner is a line, not a download. */
const MAX_BANNER_BYTES = 64 * 1024;

const tlsOptionSchema = z.union([
  z.boolean(),
  z.strictObject({ verify: z.boolean().default(true), ca: caSchema.optional(), servername: z.string().min(1).optional() }),
]);

const tcpConfigSchema = z.strictObject({
  host: z.string().trim().min(1, 'must be a host name or IP address'),
  port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535'),
  /** Text written after connecting (YAML escapes such as "\r\n" work in double quotes). */
  send: z.string().optional(),
  /** Substring or `{ regex }` the reply must contain; without it, a connection is enough. */
  expect: textPatternSchema.optional(),
  /** `true` for TLS with verification, or `{ verify, ca, servername }`. */
  tls: tlsOptionSchema.default(false),
  ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
});

export type TcpConfig = z.output<typeof tcpConfigSchema>;


/** Reads until `pattern` matches, the peer closes, or the signal fires. Resolves with the text read. */
function readUntilMatch(socket: Socket, pattern: TextPattern, ctx: ProbeContext, target: string): Promise<{ text: string; firstByteAt?: number }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let bytes = 0;
    let firstByteAt: number | undefined;
    const finish = (err?: unknown) => {
      ctx.signal.removeEventListener('abort', onAbort);
      socket.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', finish);
      if (err) reject(err);
      else resolve({ text, firstByteAt });
    };
    const onAbort = () =>
      finish(new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms waiting for ${describePattern(pattern)} from ${target}${text ? ` (got ${excerpt(text)})` : ''}`));
    const onEnd = () =>
      finish(new ProbeFailure('body', `${target} closed the connection without sending ${describePattern(pattern)}${text ? ` (got ${excerpt(text)})` : ' (got nothing)'}`));
    const onData = (chunk: Buffer) => {
      firstByteAt ??= performance.now();
      bytes += chunk.length;
      text += chunk.toString('utf8');
      if (matchesPattern(pattern, text)) return finish();
      if (bytes >= MAX_BANNER_BYTES) {
        finish(new ProbeFailure('body', `${target} sent ${bytes} bytes without ${describePattern(pattern)} (got ${excerpt(text)})`));
      }
    };
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', finish);
  });
}

/** Writes `data` and waits until it is handed to the kernel (or the signal fires). */
function writeAll(socket: Socket, data: string, ctx: ProbeContext, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms sending to ${target}`));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.write(data, (err) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    });
  });
}

/** The `tcp` probe plug-in. */
export const tcpProbe = defineProbe<TcpConfig>({
  kind: 'tcp',
  schema: tcpConfigSchema,
  describe: hostPort,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const tlsOption = config.tls === true ? { verify: true } : config.tls || undefined;
    let connection: Connection | undefined;
    const timings = (): Timings => ({ ...connection?.timings, total: ms(performance.now() - startedAt) });
    try {
      connection = await timedConnect({
        host: config.host,
        port: config.port,
        family: config.ipFamily,
        tls: tlsOption && { verify: tlsOption.verify, servername: tlsOption.servername, ca: await loadCa(tlsOption.ca) },
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        now: ctx.now,
      });
      const details: Record<string, unknown> = {};
      if (connection.certificate) details.certificate = connection.certificate;
      // Errors on a connected socket are handled by the reads/writes below; this keeps a late
      // RST (after we are done) from becoming an unhandled 'error' event.
      connection.socket.on('error', () => {});
      if (config.send !== undefined) await writeAll(connection.socket, config.send, ctx, target);
      let body: string | undefined;
      let firstByte: number | undefined;
      if (config.expect !== undefined) {
        const read = await readUntilMatch(connection.socket, config.expect, ctx, target);
        body = read.text;
        if (read.firstByteAt !== undefined) firstByte = ms(read.firstByteAt - connection.readyAt);
        details.banner = read.text.slice(0, 256);
      }
      const all = { ...timings(), ...(firstByte !== undefined ? { firstByte } : {}) };
      return { ok: true, latencyMs: all.total, timings: all, details, ...(body !== undefined ? { body } : {}) };
    } catch (err) {
      const failure = classifyRunError(err, ctx, { target, host: config.host, family: config.ipFamily });
      const all = timings();
      const details = err instanceof ProbeFailure ? err.details : undefined;
      return { ok: false, latencyMs: all.total, timings: all, failure, ...(details ? { details } : {}) };
    } finally {
      connection?.socket.destroy();
    }
  },
});
