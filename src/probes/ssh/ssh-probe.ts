/**
 * The `ssh` probe. Without `username` it reads the server's identification (`SSH-2.0-OpenSSH_9.6`)
 * and reports the protocol and software versions. With `username` it also completes the key
 * exchange and logs in with a password or private key (from `${ENV}` or a key file), and with
 * `command` it runs one command and checks its exit status and output.
 *
 * Credentials never appear in results, messages or `describe`: failures name the stage ("rejected
 * the login"), never the secret.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyRunError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { describePattern, excerpt, matchesPattern } from '../tcp/text-pattern.ts';
import { textPatternSchema } from '../tcp/text-pattern-schema.ts';
import { hostPort, ms, timedConnect, type Connection } from '../tcp/timed-connect.ts';
import { untilAborted } from '../until-aborted.ts';
import { watchIdent } from './ssh-ident.ts';
import { runSession, type SessionResult } from './ssh-session.ts';

const PEM_MARKER = '-----BEGIN';

const sshConfigSchema = z
  .strictObject({
    host: z.string().trim().min(1, 'must be a host name or IP address'),
    port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535').default(22),
    /** Log in as this user; without it only the identification is read. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** PEM/OpenSSH private key text, or the path of a key file (read at each run). */
    privateKey: z.string().min(1).optional(),
    passphrase: z.string().min(1).optional(),
    /** Pin the server's host key: `SHA256:…` as printed by `ssh-keygen -lf`. */
    hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a SHA256 fingerprint like SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8').optional(),
    /** One command to run after logging in. */
    command: z.string().min(1).optional(),
    /** Exit status the command must return (default 0). */
    expectExitCode: z.number().int().min(0).max(255).default(0),
    /** Substring or `{ regex }` the command's standard output must contain. */
    expectOutput: textPatternSchema.optional(),
    /** The identification must match, e.g. `{ regex: "^SSH-2\\.0-OpenSSH_9" }`. */
    expectBanner: textPatternSchema.optional(),
    ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
  })
  .superRefine((config, ctx) => {
    const needsLogin = (['password', 'privateKey', 'command'] as const).filter((key) => config[key] !== undefined);
    if (needsLogin.length && !config.username) ctx.addIssue({ code: 'custom', path: ['username'], message: `is required with ${needsLogin.join(', ')}` });
    if (config.username && !config.password && !config.privateKey) ctx.addIssue({ code: 'custom', path: ['username'], message: 'needs a password or privateKey to log in' });
    if (config.expectOutput && !config.command) ctx.addIssue({ code: 'custom', path: ['expectOutput'], message: 'needs a command' });
    if (config.passphrase && !config.privateKey) ctx.addIssue({ code: 'custom', path: ['passphrase'], message: 'needs a privateKey' });
  });

export type SshConfig = z.output<typeof sshConfigSchema>;

async function loadKey(value: string | undefined): Promise<string | undefined> {
  if (value === undefined || value.includes(PEM_MARKER)) return value;
  try {
    return await readFile(value, 'utf8');
  } catch (cause) {
    throw new ProbeFailure('auth', `cannot read the private key file ${value}`, { cause });
  }
}

/** Judges the command's result against the expectations. */
function commandFailure(config: SshConfig, exec: NonNullable<SessionResult['exec']>, target: string): Failure | undefined {
  if (exec.exitCode !== config.expectExitCode) {
    const got = exec.exitCode === null ? `was killed by ${exec.signal ?? 'a signal'}` : `exited with status ${exec.exitCode}`;
    const stderr = exec.stderr.trim() ? ` (stderr ${excerpt(exec.stderr.trim())})` : '';
    return { class: 'status', message: `command on ${target} ${got}, expected ${config.expectExitCode}${stderr}` };
  }
  if (config.expectOutput && !matchesPattern(config.expectOutput, exec.stdout)) {
    return { class: 'body', message: `command output on ${target} does not contain ${describePattern(config.expectOutput)} (got ${excerpt(exec.stdout)})` };
  }
  return undefined;
}

/** The `ssh` probe plug-in. */
export const sshProbe = defineProbe<SshConfig>({
  kind: 'ssh',
  schema: sshConfigSchema,
  describe: hostPort,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    let connection: Connection | undefined;
    const timings: Partial<Timings> = {};
    const details: Record<string, unknown> = {};
    const finish = (failure: Failure | undefined, body?: string): ProbeOutcome => {
      const all = { ...connection?.timings, ...timings, total: ms(performance.now() - startedAt) };
      return { ok: !failure, latencyMs: all.total, timings: all, details, ...(failure ? { failure } : {}), ...(body !== undefined ? { body } : {}) };
    };
    try {
      const privateKey = await loadKey(config.privateKey);
      connection = await timedConnect({ host: config.host, port: config.port, family: config.ipFamily, signal: ctx.signal, timeoutMs: ctx.timeoutMs, now: ctx.now });
      const { socket, readyAt } = connection;
      socket.on('error', () => {}); // reads below report failures; a late RST must not crash
      const identified = watchIdent(socket, target);
      identified.catch(() => {}); // the session may fail first; this rejection is then moot
      let session: Promise<SessionResult> | undefined;
      if (config.username) {
        session = runSession({ socket, target, username: config.username, password: config.password, privateKey, passphrase: config.passphrase, hostKey: config.hostKey, command: config.command, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
        session.catch(() => {});
      } else {
        socket.write('SSH-2.0-Upstate\r\n'); // some servers wait for the client's identification
      }
      const timedOut = () => new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms waiting for the SSH identification from ${target}`);
      // A session failure (e.g. the peer closed) can come before any identification.
      const ident = await untilAborted(session !== undefined ? Promise.race([identified, session.then(() => identified)]) : identified, ctx.signal, timedOut);
      timings.firstByte = ms(ident.at - readyAt);
      details.ssh = { protocol: ident.protocol, software: ident.software, banner: ident.line.slice(0, 255) };
      if (config.expectBanner && !matchesPattern(config.expectBanner, ident.line)) {
        return finish({ class: 'protocol', message: `SSH identification of ${target} does not match ${describePattern(config.expectBanner)} (got ${excerpt(ident.line)})` });
      }
      if (!session) return finish(undefined);
      const result = await session;
      timings.handshake = ms(result.handshakeAt - readyAt);
      Object.assign(details.ssh as object, { hostKey: result.hostKey, authenticated: true });
      if (!result.exec) return finish(undefined);
      Object.assign(details.ssh as object, { exitCode: result.exec.exitCode, ...(result.exec.truncated ? { outputTruncated: true } : {}) });
      return finish(commandFailure(config, result.exec, target), result.exec.stdout);
    } catch (err) {
      const failure = classifyRunError(err, ctx, { target, host: config.host, family: config.ipFamily });
      return finish(failure);
    } finally {
      connection?.socket.destroy();
    }
  },
});
