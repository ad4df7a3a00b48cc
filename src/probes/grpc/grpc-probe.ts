/**
 * The `grpc` probe: calls the standard health service (`grpc.health.v1.Health/Check`) over
 * plaintext HTTP/2 or TLS, for the whole server (`service: ""`) or a named service, and is up
 * only when the answer is `SERVING`.
 *
 * The service definition comes from the `grpc-health-check` package (the gRPC project's own);
 * it and `@grpc/grpc-js` are imported when a check runs, so configs without grpc checks never
 * load them. One channel per run, closed afterwards: like the http probe, every run measures a
 * fresh connection.
 * @module
 */
import { z } from 'zod';
import { performance } from 'node:perf_hooks';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { hostPort, ms } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { caSchema } from '../tls/ca-schema.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { redactFailure } from '../redact.ts';
import { grpcFailure, type GrpcCallError } from './grpc-status.ts';

/** Largest health reply accepted; a real one is a few bytes. */
const MAX_MESSAGE_BYTES = 64 * 1024;

const grpcConfigSchema = z.strictObject({
  host: z.string().trim().min(1, 'must be a host name or IP address'),
  port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535'),
  /** Service name to ask about; "" (the default) asks about the server as a whole. */
  service: z.string().default(''),
  /** `true` for TLS with the system roots, or options; plaintext (h2c) by default. */
  tls: z
    .union([z.boolean(), z.strictObject({ verify: z.boolean().default(true), ca: caSchema.optional(), servername: z.string().trim().min(1).optional() })])
    .default(false),
  /** Request metadata, e.g. `authorization: "Bearer ${TOKEN}"`; values are never shown. */
  metadata: z.record(z.string().regex(/^[0-9a-z_.-]+$/, 'must be a lower-case metadata key'), z.string()).optional(),
});

export type GrpcConfig = z.output<typeof grpcConfigSchema>;

type HealthClient = {
  check(request: { service: string }, metadata: unknown, options: { deadline: number }, callback: (err: GrpcCallError | null, reply?: { status?: string }) => void): { cancel(): void };
  getChannel(): { getConnectivityState(connect: boolean): number; watchConnectivityState(state: number, deadline: number, callback: (err?: Error) => void): void };
  close(): void;
};

/** The `grpc` probe plug-in. */
export const grpcProbe = defineProbe<GrpcConfig>({
  kind: 'grpc',
  schema: grpcConfigSchema,
  describe: (config) => `grpc${config.tls ? 's' : ''}://${hostPort(config)}${config.service ? `/${config.service}` : ''}`,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const details: Record<string, unknown> = {};
    let connectedAt: number | undefined;
    let client: HealthClient | undefined;
    let onAbort: (() => void) | undefined;
    const secrets = Object.values(config.metadata ?? {});
    const finish = (failure?: Failure): ProbeOutcome => {
      const total = ms(performance.now() - startedAt);
      const timings = { total, ...(connectedAt !== undefined ? { connect: ms(connectedAt - startedAt), firstByte: ms(performance.now() - connectedAt) } : {}) };
      const safe = redactFailure(failure, secrets);
      return { ok: !safe, latencyMs: total, timings, details, ...(safe ? { failure: safe } : {}) };
    };
    try {
      if (ctx.signal.aborted) return finish({ class: 'timeout', message: `timed out after ${ctx.timeoutMs} ms before calling ${target}` });
      const [grpc, health] = await Promise.all([import('@grpc/grpc-js'), import('grpc-health-check')]);
      const tls = config.tls === true ? { verify: true } : config.tls || undefined;
      const ca = tls ? await loadCa(tls.ca) : undefined;
      const credentials = tls
        ? grpc.credentials.createSsl(ca ? Buffer.from(ca.join('\n')) : null, null, null, {
            rejectUnauthorized: tls.verify,
            ...(tls.verify ? {} : { checkServerIdentity: () => undefined }),
          })
        : grpc.credentials.createInsecure();
      const Health = grpc.makeClientConstructor(health.service as never, 'grpc.health.v1.Health');
      client = new Health(target, credentials, {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.enable_retries': 0,
        'grpc.service_config_disable_resolution': 1,
        'grpc.use_local_subchannel_pool': 1, // never share a connection with another check
        ...(tls?.servername ? { 'grpc.ssl_target_name_override': tls.servername, 'grpc.default_authority': tls.servername } : {}),
      }) as unknown as HealthClient;
      const live = client;
      const deadline = Date.now() + Math.max(1, ctx.timeoutMs - (performance.now() - startedAt));
      // The channel's READY transition is the end of TCP + TLS + HTTP/2 set-up: the connect timing.
      const channel = live.getChannel();
      const watch = (state: number) =>
        channel.watchConnectivityState(state, deadline, (err) => {
          if (err) return;
          const now = channel.getConnectivityState(false);
          if (now === grpc.connectivityState.READY) connectedAt ??= performance.now();
          else if (now !== grpc.connectivityState.SHUTDOWN) watch(now);
        });
      watch(channel.getConnectivityState(false));
      const metadata = new grpc.Metadata();
      for (const [key, value] of Object.entries(config.metadata ?? {})) metadata.set(key, value);
      const reply = await new Promise<{ status?: string }>((resolve, reject) => {
        const call = live.check({ service: config.service }, metadata, { deadline }, (err, value) => (err ? reject(err) : resolve(value ?? {})));
        onAbort = () => call.cancel();
        ctx.signal.addEventListener('abort', onAbort, { once: true });
      });
      const status = String(reply.status ?? 'UNKNOWN');
      details.grpc = { status, service: config.service };
      if (status !== 'SERVING') return finish({ class: 'status', message: `${config.service ? `service "${config.service}"` : 'the server'} on ${target} is ${status}` });
      return finish();
    } catch (err) {
      if (err instanceof ProbeFailure) return finish(err.toFailure());
      const failure = grpcFailure(err as GrpcCallError, target, ctx.timeoutMs, ctx.signal.aborted);
      details.grpc = { code: (err as GrpcCallError).code, service: config.service };
      return finish(failure);
    } finally {
      if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
      client?.close();
    }
  },
});
