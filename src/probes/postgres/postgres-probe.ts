/**
 * The `postgres` probe: connects and logs in (TLS when asked), optionally runs one query in a
 * read-only session and checks the first value it returns. Read-only is enforced by the server
 * (`default_transaction_read_only=on` as a start-up option), not by guessing at the SQL, so a
 * check can never write even if its query says so.
 *
 * `pg` is imported when a check runs, so a config without postgres checks never loads it.
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

const postgresConfigSchema = sqlConfigSchema(5432, 'postgres');

export type PostgresConfig = z.output<typeof postgresConfigSchema>;

/** The slice of pg's Client this probe uses (see CONVENTIONS: describe a driver by what we need). */
interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<{ rows: unknown[][]; rowCount: number | null }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): void;
  connection: { stream: Socket; on(event: 'parameterStatus', listener: (msg: { parameterName: string; parameterValue: string }) => void): void };
}

type Phase = 'connect' | 'login' | 'query';
const PHASE_TEXT: Record<Phase, string> = { connect: 'connecting to', login: 'logging in to', query: 'running the query on' };
const DURING: Record<Phase, string | undefined> = { connect: undefined, login: 'logging in', query: 'running the query' };

/** SQLSTATE classes: 28 = invalid authorization, 3D = unknown database (both: the login was refused). */
function failureOfServerError(err: { code?: string; message: string }, phase: Phase, target: string): Failure | undefined {
  const code = err.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code.startsWith('28') || code === '3D000') return { class: 'auth', message: `${target} refused the login: ${err.message} (SQLSTATE ${code})` };
  const during = phase === 'query' ? 'the query failed' : 'the server reported an error';
  return { class: 'status', message: `${during} on ${target}: ${err.message} (SQLSTATE ${code})` };
}

/** The `postgres` probe plug-in. */
export const postgresProbe = defineProbe<PostgresConfig>({
  kind: 'postgres',
  schema: postgresConfigSchema,
  describe: (config) => `postgres://${hostPort(config)}${config.database ? `/${config.database}` : ''}`,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const phases: Record<string, number> = {};
    const details: Record<string, unknown> = {};
    let phase: Phase = 'connect';
    let connectedAt: number | undefined;
    let client: PgClient | undefined;
    let cap: { exceeded(): boolean } | undefined;
    const secrets = [config.password];
    const timedOut = () => new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms ${PHASE_TEXT[phase]} ${target}`);
    const finish = (failure?: Failure, extra: Partial<ProbeOutcome> = {}): ProbeOutcome => {
      const total = ms(performance.now() - startedAt);
      const timings = { total, ...(phases.connect !== undefined ? { connect: phases.connect } : {}), ...(phases.query !== undefined ? { firstByte: phases.query } : {}) };
      details.phases = phases;
      const safe = redactFailure(failure, secrets);
      return { ok: !safe, latencyMs: total, timings, details, ...(safe ? { failure: safe } : {}), ...extra };
    };
    try {
      const { default: pg } = await import('pg');
      const tls = config.tls === true ? { verify: true } : config.tls || undefined;
      const ssl = tls && { rejectUnauthorized: tls.verify, ca: await loadCa(tls.ca), servername: tls.servername };
      client = new pg.Client({
        host: config.host,
        port: config.port,
        user: config.user,
        password: config.password ?? '',
        database: config.database,
        ssl,
        options: '-c default_transaction_read_only=on',
        application_name: 'upstate-monitor',
      }) as unknown as PgClient;
      client.on('error', () => {}); // a late server error after we are done must not crash the process
      const stream = client.connection.stream;
      stream.once('connect', () => {
        connectedAt = performance.now();
        phases.connect = ms(connectedAt - startedAt);
        phase = 'login';
      });
      cap = capBytes(stream, config.maxReplyBytes, () => {});
      client.connection.on('parameterStatus', (msg) => {
        if (msg.parameterName === 'server_version') details.serverVersion = msg.parameterValue;
      });
      await untilAborted(client.connect(), ctx.signal, timedOut);
      const loggedInAt = performance.now();
      phases.login = ms(loggedInAt - (connectedAt ?? startedAt));
      if (!config.query) return finish();
      phase = 'query';
      const result = await untilAborted(client.query({ text: config.query, rowMode: 'array' } as unknown as string), ctx.signal, timedOut);
      phases.query = ms(performance.now() - loggedInAt);
      const first = result.rows[0]?.[0];
      details.rows = result.rows.length;
      details.result = result.rows.length ? detailValue(first) : null;
      const mismatch = config.expect === undefined ? undefined : checkExpected(config.expect, result.rows.length ? first : null, 'the first value');
      return finish(mismatch ? { class: 'body', message: mismatch } : undefined);
    } catch (err) {
      if (cap?.exceeded()) return finish({ class: 'body', message: `${target} sent more than ${config.maxReplyBytes} bytes; the reply was not read to the end` });
      if (err instanceof ProbeFailure) return finish(err.toFailure());
      const server = failureOfServerError(err as { code?: string; message: string }, phase, target);
      if (server) return finish(server);
      const message = String((err as Error)?.message ?? err);
      if (/does not support SSL/i.test(message)) return finish({ class: 'tls', message: `TLS with ${target} failed: the server does not support TLS` });
      if (/password authentication|SASL|SCRAM|client password must be a string/i.test(message)) return finish({ class: 'auth', message: `${target} refused the login: ${message}` });
      return finish(classifyRunError(err, ctx, { target, host: config.host, during: DURING[phase] }, `${PHASE_TEXT[phase]} ${target}`));
    } finally {
      // Destroying the socket ends the session at once; `end()` would wait for the server.
      client?.connection.stream.destroy();
    }
  },
});
