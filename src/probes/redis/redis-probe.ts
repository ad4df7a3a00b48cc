/**
 * The `redis` probe (Redis, Valkey, KeyDB, …): connects (TLS when asked, with the certificate
 * facts the tls kind records), authenticates, selects a database, runs one read-only command
 * (default `PING`) and checks its reply. Commands outside a read-only allow-list are config
 * errors, so a check can never change data.
 * @module
 */
import { z } from 'zod';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { classifyError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { hostPort, ms, timedConnect, type Connection } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { checkExpected, connectionFields, detailValue, expectValueSchema, maxReplyBytesSchema } from '../database/database-config.ts';
import { redactFailure } from '../redact.ts';
import { decodeReply, encodeCommand, isRespError, RespProtocolError, type RespValue } from './resp.ts';

/** Commands that only read. Anything else is refused at config load. */
const READ_ONLY_COMMANDS = new Set([
  'PING', 'ECHO', 'GET', 'MGET', 'EXISTS', 'TYPE', 'TTL', 'PTTL', 'STRLEN', 'GETRANGE', 'DBSIZE', 'INFO', 'TIME', 'LASTSAVE',
  'LLEN', 'LINDEX', 'LRANGE', 'SCARD', 'SISMEMBER', 'SMISMEMBER', 'HGET', 'HMGET', 'HLEN', 'HEXISTS', 'HSTRLEN', 'ZCARD', 'ZSCORE',
  'ZCOUNT', 'ZRANK', 'XLEN', 'PFCOUNT', 'BITCOUNT', 'GETBIT', 'ROLE', 'MEMORY',
]);

const commandSchema = z
  .union([z.string().trim().min(1).transform((text) => text.split(/\s+/)), z.array(z.string()).min(1)])
  .superRefine((args, ctx) => {
    const name = args[0].toUpperCase();
    if (!READ_ONLY_COMMANDS.has(name)) ctx.addIssue({ code: 'custom', message: `${args[0]} is not a read-only command this check may run (allowed: ${[...READ_ONLY_COMMANDS].join(', ')})` });
    if (name === 'MEMORY' && args[1]?.toUpperCase() !== 'USAGE') ctx.addIssue({ code: 'custom', message: 'only MEMORY USAGE is allowed' });
  });

const redisConfigSchema = z.strictObject({
  ...connectionFields(6379),
  /** ACL user (Redis 6+); omitted, AUTH sends the password alone. */
  username: z.string().min(1).optional(),
  /** Usually `${REDIS_PASSWORD}`; never logged, shown or stored. */
  password: z.string().optional(),
  database: z.number().int().min(0).max(1000).optional(),
  /** One read-only command, as a string or a list of arguments; default `PING`. */
  command: commandSchema.default(['PING']),
  /** Expected reply (exact text or `{ regex }`); default `PONG` when the command is PING. */
  expect: expectValueSchema.optional(),
  maxReplyBytes: maxReplyBytesSchema,
});

export type RedisConfig = z.output<typeof redisConfigSchema>;

const AUTH_ERROR = /^(NOAUTH|WRONGPASS|NOPERM)\b|invalid (username-)?password|AUTH <password> called without any password/i;

/** One command at a time over one socket, with the bytes read bounded. */
function createSession(socket: Socket, signal: AbortSignal, timeoutMs: number, maxBytes: number, target: string) {
  let buffer: Buffer = Buffer.alloc(0);
  let total = 0;
  let waiting: { resolve(value: RespValue): void; reject(err: unknown): void; during: string } | undefined;
  let failed: unknown;
  const fail = (err: unknown) => {
    failed ??= err;
    waiting?.reject(err);
    waiting = undefined;
  };
  const pump = () => {
    if (!waiting) return;
    try {
      const reply = decodeReply(buffer);
      if (!reply) return;
      buffer = buffer.subarray(reply.end);
      const current = waiting;
      waiting = undefined;
      current.resolve(reply.value);
    } catch (err) {
      fail(err);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > maxBytes) {
      socket.destroy();
      return fail(new ProbeFailure('body', `${target} sent more than ${maxBytes} bytes; the reply was not read to the end`));
    }
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    pump();
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new ProbeFailure('reset', `${target} closed the connection ${waiting ? `while ${waiting.during}` : ''}`.trim())));
  const onAbort = () => fail(new ProbeFailure('timeout', `timed out after ${timeoutMs} ms ${waiting?.during ?? 'talking to'} ${target}`));
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    request(args: string[], during: string): Promise<RespValue> {
      if (failed) return Promise.reject(failed);
      if (signal.aborted) return Promise.reject(new ProbeFailure('timeout', `timed out after ${timeoutMs} ms ${during} ${target}`));
      return new Promise<RespValue>((resolve, reject) => {
        waiting = { resolve, reject, during };
        socket.write(encodeCommand(args));
        pump();
      });
    },
    dispose: () => signal.removeEventListener('abort', onAbort),
  };
}

/** The `redis` probe plug-in. */
export const redisProbe = defineProbe<RedisConfig>({
  kind: 'redis',
  schema: redisConfigSchema,
  describe: (config) => `redis://${hostPort(config)}${config.database ? `/${config.database}` : ''}`,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const details: Record<string, unknown> = {};
    const phases: Record<string, number> = {};
    let connection: Connection | undefined;
    let session: ReturnType<typeof createSession> | undefined;
    const finish = (failure?: Failure): ProbeOutcome => {
      const total = ms(performance.now() - startedAt);
      const timings = { ...connection?.timings, total, ...(phases.command !== undefined ? { firstByte: phases.command } : {}) };
      if (connection?.certificate) details.certificate = connection.certificate;
      details.phases = { ...connection?.timings, ...phases };
      const safe = redactFailure(failure, [config.password]);
      return { ok: !safe, latencyMs: total, timings, details, ...(safe ? { failure: safe } : {}) };
    };
    try {
      const tls = config.tls === true ? { verify: true } : config.tls || undefined;
      connection = await timedConnect({
        host: config.host,
        port: config.port,
        tls: tls && { verify: tls.verify, servername: tls.servername, ca: await loadCa(tls.ca) },
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        now: ctx.now,
      });
      session = createSession(connection.socket, ctx.signal, ctx.timeoutMs, config.maxReplyBytes, target);
      const live = session;
      const step = async (args: string[], during: string, phase: string) => {
        const began = performance.now();
        const reply = await live.request(args, during);
        phases[phase] = ms(performance.now() - began);
        return reply;
      };
      if (config.password !== undefined) {
        const reply = await step(config.username ? ['AUTH', config.username, config.password] : ['AUTH', config.password], 'authenticating with', 'auth');
        if (isRespError(reply)) return finish({ class: AUTH_ERROR.test(reply.error) ? 'auth' : 'status', message: `${target} refused the login: ${reply.error}` });
      }
      if (config.database) {
        const reply = await step(['SELECT', String(config.database)], 'selecting the database on', 'select');
        if (isRespError(reply)) return finish({ class: AUTH_ERROR.test(reply.error) ? 'auth' : 'status', message: `${target} refused SELECT ${config.database}: ${reply.error}` });
      }
      const reply = await step(config.command, `waiting for the ${config.command[0].toUpperCase()} reply from`, 'command');
      if (isRespError(reply)) {
        const failureClass = AUTH_ERROR.test(reply.error) ? 'auth' : 'status';
        return finish({ class: failureClass, message: `${config.command[0].toUpperCase()} on ${target} failed: ${reply.error}` });
      }
      details.result = detailValue(reply, 1024);
      const expected = config.expect ?? (config.command[0].toUpperCase() === 'PING' && config.command.length === 1 ? 'PONG' : undefined);
      const mismatch = expected === undefined ? undefined : checkExpected(expected, reply, 'the reply');
      return finish(mismatch ? { class: 'body', message: mismatch } : undefined);
    } catch (err) {
      if (err instanceof RespProtocolError) return finish({ class: 'protocol', message: `unexpected reply from ${target}: ${err.message}` });
      if (err instanceof ProbeFailure && err.details?.certificate) details.certificate = err.details.certificate;
      return finish(classifyError(err, { target, host: config.host }));
    } finally {
      session?.dispose();
      connection?.socket.destroy();
    }
  },
});
