/**
 * The `mysql` probe (MySQL and MariaDB): connects and logs in (TLS when asked), optionally runs
 * one query in a read-only session (`SET SESSION TRANSACTION READ ONLY` first, so the server
 * refuses writes whatever the query says) and checks the first value it returns.
 *
 * `mysql2` is imported when a check runs, so a config without mysql checks never loads it.
 * @module
 */
import type { z } from 'zod';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { classifyRunError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { hostPort, ms } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { untilAborted } from '../until-aborted.ts';
import { capBytes } from '../database/byte-cap.ts';
import { checkExpected, detailValue, sqlConfigSchema } from '../database/database-config.ts';
import { redactFailure } from '../redact.ts';

const mysqlConfigSchema = sqlConfigSchema(3306, 'root');

export type MysqlConfig = z.output<typeof mysqlConfigSchema>;

/** The slice of mysql2's (callback) Connection this probe uses. */
interface MysqlConnection {
  stream: Socket;
  connect(callback: (err: Error | null) => void): void;
  query(options: { sql: string; rowsAsArray: boolean }, callback: (err: Error | null, rows: unknown) => void): void;
  destroy(): void;
  on(event: 'error', listener: (err: Error) => void): void;
  /** The server's greeting (not a public member, hence read defensively). */
  _handshakePacket?: { serverVersion?: string };
}

type Phase = 'connect' | 'login' | 'query';
const PHASE_TEXT: Record<Phase, string> = { connect: 'connecting to', login: 'logging in to', query: 'running the query on' };
const DURING: Record<Phase, string | undefined> = { connect: undefined, login: 'logging in', query: 'running the query' };

/** Server error numbers meaning the login was refused: access denied, no such database. */
const AUTH_ERRNOS = new Set([1044, 1045, 1049, 1251, 1698, 2049]);

interface MysqlError {
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  code?: string;
  message: string;
}

function failureOfServerError(err: MysqlError, phase: Phase, target: string): Failure | undefined {
  if (typeof err.errno !== 'number' || err.sqlState === undefined) return undefined;
  const state = /^[0-9A-Z]{5}$/.test(err.sqlState) ? `, SQLSTATE ${err.sqlState}` : '';
  const text = `${err.sqlMessage ?? err.message} (error ${err.errno}${state})`;
  if (AUTH_ERRNOS.has(err.errno) || err.sqlState === '28000') return { class: 'auth', message: `${target} refused the login: ${text}` };
  return { class: 'status', message: `${phase === 'query' ? 'the query failed' : 'the server reported an error'} on ${target}: ${text}` };
}

function call<T>(fn: (callback: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** The `mysql` probe plug-in. */
export const mysqlProbe = defineProbe<MysqlConfig>({
  kind: 'mysql',
  schema: mysqlConfigSchema,
  describe: (config) => `mysql://${hostPort(config)}${config.database ? `/${config.database}` : ''}`,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const phases: Record<string, number> = {};
    const details: Record<string, unknown> = {};
    let phase: Phase = 'connect';
    let connectedAt: number | undefined;
    let connection: MysqlConnection | undefined;
    let cap: { exceeded(): boolean } | undefined;
    const during = () => `${PHASE_TEXT[phase]} ${target}`;
    const timedOut = () => new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms ${during()}`);
    const finish = (failure?: Failure): ProbeOutcome => {
      const total = ms(performance.now() - startedAt);
      const timings = { total, ...(phases.connect !== undefined ? { connect: phases.connect } : {}), ...(phases.query !== undefined ? { firstByte: phases.query } : {}) };
      details.phases = phases;
      const safe = redactFailure(failure, [config.password]);
      return { ok: !safe, latencyMs: total, timings, details, ...(safe ? { failure: safe } : {}) };
    };
    try {
      const { default: mysql } = await import('mysql2');
      const tls = config.tls === true ? { verify: true } : config.tls || undefined;
      connection = mysql.createConnection({
        host: config.host,
        port: config.port,
        user: config.user,
        password: config.password,
        database: config.database,
        // servername passes through to tls.connect (SNI and the name checked); mysql2's type omits it
        ssl: tls && ({ rejectUnauthorized: tls.verify, ca: await loadCa(tls.ca), servername: tls.servername } as object),
        connectTimeout: ctx.timeoutMs + 1000, // a backstop only: the signal is the deadline
        multipleStatements: false,
        supportBigNumbers: true,
        bigNumberStrings: true,
      }) as unknown as MysqlConnection;
      connection.on('error', () => {}); // a late error after we are done must not crash the process
      const stream = connection.stream;
      stream.once('connect', () => {
        connectedAt = performance.now();
        phases.connect = ms(connectedAt - startedAt);
        phase = 'login';
      });
      cap = capBytes(stream, config.maxReplyBytes, () => {});
      const live = connection;
      await untilAborted(call<void>((cb) => live.connect(cb)), ctx.signal, timedOut);
      const loggedInAt = performance.now();
      phases.login = ms(loggedInAt - (connectedAt ?? startedAt));
      const version = live._handshakePacket?.serverVersion;
      if (typeof version === 'string') details.serverVersion = version.slice(0, 100);
      if (!config.query) return finish();
      phase = 'query';
      const query = (sql: string) => untilAborted(call<unknown>((cb) => live.query({ sql, rowsAsArray: true }, cb)), ctx.signal, timedOut);
      await query('SET SESSION TRANSACTION READ ONLY');
      const rows = await query(config.query);
      phases.query = ms(performance.now() - loggedInAt);
      const list = Array.isArray(rows) ? (rows as unknown[][]) : [];
      const first = list.length && Array.isArray(list[0]) ? list[0][0] : null;
      details.rows = list.length;
      details.result = detailValue(first);
      const mismatch = config.expect === undefined ? undefined : checkExpected(config.expect, first, 'the first value');
      return finish(mismatch ? { class: 'body', message: mismatch } : undefined);
    } catch (err) {
      if (cap?.exceeded()) return finish({ class: 'body', message: `${target} sent more than ${config.maxReplyBytes} bytes; the reply was not read to the end` });
      if (err instanceof ProbeFailure) return finish(err.toFailure());
      const server = failureOfServerError(err as MysqlError, phase, target);
      if (server) return finish(server);
      const message = String((err as Error)?.message ?? err);
      if (/server does not support secure connection/i.test(message)) return finish({ class: 'tls', message: `TLS with ${target} failed: the server does not support TLS` });
      return finish(classifyRunError(err, ctx, { target, host: config.host, during: DURING[phase] }, during()));
    } finally {
      connection?.destroy();
    }
  },
});
