/**
 * The `tls` probe: completes a TLS handshake with `host:port` and reports the certificate —
 * expiry, subject, issuer, whether it names the host, and the presented chain. An expired,
 * untrusted or wrong-host certificate fails with class `tls`, and its facts are still reported
 * (the handshake verifies after the fact; see timed-connect.ts).
 * @module
 */
import { z } from 'zod';
import { performance } from 'node:perf_hooks';
import { defineProbe } from '../probe.ts';
import type { ProbeOutcome } from '../../domain/result.ts';
import { classifyRunError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { hostPort, ms, timedConnect, type Connection } from '../tcp/timed-connect.ts';
import { loadCa } from './ca-option.ts';
import { caSchema } from './ca-schema.ts';
import { expiryFailure } from './certificate-facts.ts';

const tlsConfigSchema = z.strictObject({
  host: z.string().trim().min(1, 'must be a host name or IP address'),
  port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535').default(443),
  /** Name sent as SNI and matched against the certificate; defaults to `host`. */
  servername: z.string().trim().min(1).optional(),
  /** Fail on untrusted, expired or wrong-host certificates (default true). */
  verify: z.boolean().default(true),
  /** Trusted CA (PEM text or file path, or a list); replaces the bundled roots, like curl --cacert. */
  ca: caSchema.optional(),
  /** Fail when the certificate expires in fewer than this many days. */
  minDaysValid: z.number().min(0, 'must be ≥ 0').optional(),
  ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
});

export type TlsConfig = z.output<typeof tlsConfigSchema>;


/** The `tls` probe plug-in. */
export const tlsProbe = defineProbe<TlsConfig>({
  kind: 'tls',
  schema: tlsConfigSchema,
  describe: hostPort,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    let connection: Connection | undefined;
    try {
      connection = await timedConnect({
        host: config.host,
        port: config.port,
        family: config.ipFamily,
        tls: { verify: config.verify, servername: config.servername, ca: await loadCa(config.ca) },
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        now: ctx.now,
      });
      const total = ms(performance.now() - startedAt);
      const { certificate, chain, verifyError } = connection;
      const details: Record<string, unknown> = { certificate, chain, ...(verifyError ? { verifyError } : {}) };
      const protocol = 'getProtocol' in connection.socket ? connection.socket.getProtocol() : undefined;
      if (protocol) details.protocol = protocol;
      const failure = expiryFailure(certificate, config.minDaysValid, target);
      return { ok: !failure, latencyMs: total, timings: { ...connection.timings, total }, details, ...(failure ? { failure } : {}) };
    } catch (err) {
      const total = ms(performance.now() - startedAt);
      const failure = classifyRunError(err, ctx, { target, host: config.host, family: config.ipFamily });
      const details = err instanceof ProbeFailure ? err.details : undefined;
      return { ok: false, latencyMs: total, timings: { total }, failure, ...(details ? { details } : {}) };
    } finally {
      connection?.socket.destroy();
    }
  },
});
