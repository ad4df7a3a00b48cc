/**
 * The `starttls` probe: talks SMTP, IMAP or POP3 up to STARTTLS (or connects with implicit TLS
 * for SMTPS, IMAPS and POP3S), completes the TLS handshake and reports the certificate exactly
 * as the `tls` kind does — `details.certificate`, `details.chain`, `minDaysValid` — so
 * `certificateExpiresIn` conditions and certificate alert rules cover mail servers too.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyRunError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { hostPort, ms, timedConnect, type Connection } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { caSchema } from '../tls/ca-schema.ts';
import { expiryFailure } from '../tls/certificate-facts.ts';
import { upgradeTls, type SecuredSocket } from '../tls/upgrade-tls.ts';
import { untilAborted } from '../until-aborted.ts';
import { DEFAULT_PORTS, IMPLICIT_TLS, MAIL_PROTOCOLS, dialogFor } from './mail-dialogs.ts';

const starttlsConfigSchema = z
  .strictObject({
    host: z.string().trim().min(1, 'must be a host name or IP address'),
    /** smtp, imap, pop3 (STARTTLS) or smtps, imaps, pop3s (implicit TLS). */
    protocol: z.enum(MAIL_PROTOCOLS, { message: `must be one of ${MAIL_PROTOCOLS.join(', ')}` }),
    /** Defaults to the protocol's well-known port (25, 143, 110, 465, 993, 995). */
    port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535').optional(),
    servername: z.string().trim().min(1).optional(),
    verify: z.boolean().default(true),
    ca: caSchema.optional(),
    minDaysValid: z.number().min(0, 'must be ≥ 0').optional(),
    ipFamily: z.union([z.literal(4), z.literal(6)]).optional(),
  })
  .transform((config) => ({ ...config, port: config.port ?? DEFAULT_PORTS[config.protocol] }));

export type StarttlsConfig = z.output<typeof starttlsConfigSchema>;

/** The `starttls` probe plug-in. */
export const starttlsProbe = defineProbe<StarttlsConfig>({
  kind: 'starttls',
  schema: starttlsConfigSchema,
  describe: (config) => `${config.protocol}://${hostPort(config)}`,
  async run(config, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const target = hostPort(config);
    const dialog = dialogFor(config.protocol);
    const timings: Partial<Timings> = {};
    const details: Record<string, unknown> = {};
    let connection: Connection | undefined;
    let secure: TLSSocket | undefined;
    const finish = (failure?: Failure): ProbeOutcome => {
      const all = { ...connection?.timings, ...timings, total: ms(performance.now() - startedAt) };
      return { ok: !failure, latencyMs: all.total, timings: all, details, ...(failure ? { failure } : {}) };
    };
    try {
      const tls = { verify: config.verify, servername: config.servername, ca: await loadCa(config.ca) };
      const implicit = IMPLICIT_TLS[config.protocol];
      connection = await timedConnect({ host: config.host, port: config.port, family: config.ipFamily, tls: implicit ? tls : undefined, signal: ctx.signal, timeoutMs: ctx.timeoutMs, now: ctx.now });
      const { socket, readyAt } = connection;
      socket.on('error', () => {}); // reads below report failures; a late RST must not crash
      const talk = { socket, signal: ctx.signal, timeoutMs: ctx.timeoutMs, target };
      const greeting = await dialog.greeting(talk);
      timings.firstByte = ms(greeting.firstByteAt - readyAt);
      details.greeting = greeting.lines[0].slice(0, 256);
      let secured: SecuredSocket;
      if (implicit) {
        secured = { socket: socket as TLSSocket, certificate: connection.certificate, chain: connection.chain, ...(connection.verifyError ? { verifyError: connection.verifyError } : {}) };
      } else {
        const negotiating = performance.now();
        await dialog.starttls(talk);
        const handshakeStart = performance.now();
        timings.handshake = ms(handshakeStart - negotiating);
        const timedOut = () => new ProbeFailure('timeout', `timed out after ${ctx.timeoutMs} ms in the TLS handshake with ${target} after STARTTLS`);
        secured = await untilAborted(upgradeTls(socket, tls, config.host, target, ctx.now, (s) => (secure = s)), ctx.signal, timedOut);
        timings.tls = ms(performance.now() - handshakeStart);
      }
      Object.assign(details, { certificate: secured.certificate, chain: secured.chain, ...(secured.verifyError ? { verifyError: secured.verifyError } : {}) });
      const protocol = secured.socket.getProtocol();
      if (protocol) details.protocol = protocol;
      return finish(expiryFailure(secured.certificate, config.minDaysValid, target));
    } catch (err) {
      if (err instanceof ProbeFailure && err.details) Object.assign(details, err.details);
      const failure = classifyRunError(err, ctx, { target, host: config.host, family: config.ipFamily }, `talking ${dialog.name} to ${target}`);
      return finish(failure);
    } finally {
      secure?.destroy();
      connection?.socket.destroy();
    }
  },
});
