/**
 * The `udp` probe: sends one datagram and, when `expect` is set, waits for a reply that
 * matches. UDP has no connection, so "up" can only mean "answered": without `expect` the probe
 * still waits for any reply. A closed port usually shows up as an ICMP port-unreachable, which
 * Linux reports on the connected socket as ECONNREFUSED (class `refused`); silence is `timeout`.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { defineProbe, type ProbeContext } from '../probe.ts';
import type { ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { hostPort, ms } from '../tcp/timed-connect.ts';
import { untilAborted } from '../until-aborted.ts';
import { describeReplyPattern, excerptBytes, payloadBytes, payloadSchema, replyMatches, replyPatternSchema } from './udp-payload.ts';

const udpConfigSchema = z.strictObject({
  host: z.string().trim().min(1, 'must be a host name or IP address'),
  port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535'),
  /** The datagram: text, or `{ hex }`. */
  send: payloadSchema,
  /** What the reply must contain; without it any reply passes. */
  expect: replyPatternSchema.optional(),
  ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
});

export type UdpConfig = z.output<typeof udpConfigSchema>;

/**
 * Waits for the first datagram and judges it against `expect`; rejects on error or abort. The
 * socket is connected, so only the target's own datagrams arrive: its first reply is its answer.
 */
function awaitReply(socket: Socket, config: UdpConfig, ctx: ProbeContext, target: string): Promise<{ reply: Buffer; at: number }> {
  return new Promise((resolve, reject) => {
    const finish = (err: unknown, value?: { reply: Buffer; at: number }) => {
      ctx.signal.removeEventListener('abort', onAbort);
      socket.off('message', onMessage).off('error', onError);
      if (err) reject(err);
      else resolve(value!);
    };
    const onError = (err: Error) => finish(err);
    const onAbort = () => finish(new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms waiting for a reply from ${target}`));
    // A datagram is bounded by the protocol (≤ 64 KiB), and only one is read.
    const onMessage = (message: Buffer) => {
      const at = performance.now();
      if (!config.expect || replyMatches(config.expect, message)) return finish(undefined, { reply: message, at });
      finish(new ProbeFailure('body', `${target} replied ${excerptBytes(message)}, expected a reply containing ${describeReplyPattern(config.expect)}`));
    };
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('message', onMessage).on('error', onError);
  });
}

/** The `udp` probe plug-in. */
export const udpProbe = defineProbe<UdpConfig>({
  kind: 'udp',
  schema: udpConfigSchema,
  describe: hostPort,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const timings: Partial<Timings> = {};
    let socket: Socket | undefined;
    const total = () => ms(performance.now() - startedAt);
    try {
      let address = config.host;
      let family = config.ipFamily ?? (isIP(config.host) || undefined);
      if (!isIP(config.host)) {
        const timedOut = () => new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms resolving ${config.host}`);
        const resolved = await untilAborted(lookup(config.host, { family: config.ipFamily ?? 0 }), ctx.signal, timedOut);
        [address, family] = [resolved.address, resolved.family];
        timings.dns = ms(performance.now() - startedAt);
      }
      const udp = createSocket(family === 6 ? 'udp6' : 'udp4');
      socket = udp;
      // connect() makes the kernel deliver ICMP errors (port unreachable) to this socket.
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.connect(config.port, address, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const sentAt = performance.now();
      const replied = awaitReply(udp, config, ctx, target);
      udp.send(payloadBytes(config.send), (err) => err && udp.emit('error', err));
      const { reply, at } = await replied;
      timings.firstByte = ms(at - sentAt);
      const all = { ...timings, total: total() };
      const details = { udp: { replyBytes: reply.length, reply: excerptBytes(reply) } };
      return { ok: true, latencyMs: all.total, timings: all, details, body: reply.toString('utf8') };
    } catch (err) {
      const failure = classifyError(err, { target, host: config.host, family: config.ipFamily });
      const all = { ...timings, total: total() };
      return { ok: false, latencyMs: all.total, timings: all, failure };
    } finally {
      socket?.removeAllListeners('error').on('error', () => {});
      try {
        socket?.close();
      } catch {
        // already closed
      }
    }
  },
});
