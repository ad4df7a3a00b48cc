/**
 * The nodemailer transport for an SMTP server as Upstate's config describes it: implicit TLS on
 * port 465 unless `secure` says otherwise, STARTTLS required when `requireTLS`, login only when a
 * user is set. Alert emails and subscriber emails both send through it. nodemailer is imported on
 * first use, so a process that never sends mail does not load it.
 * @module
 */
import type { Transporter } from 'nodemailer';

/** The server fields of the `email` channel and of `subscriptions.email`. */
export interface SmtpServer {
  host: string;
  port: number;
  secure?: boolean;
  requireTLS?: boolean;
  user?: string;
  pass?: string;
}

export async function createSmtpTransport(
  smtp: SmtpServer,
  options: {
    /** One pooled connection reused across sends (a queue sending many messages). */
    pooled?: boolean;
    /** Connect and socket inactivity limit, ms. */
    timeoutMs?: number;
  } = {},
): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure ?? smtp.port === 465,
    requireTLS: smtp.requireTLS,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
    ...(options.pooled ? { pool: true, maxConnections: 1 } : {}),
    ...(options.timeoutMs ? { socketTimeout: options.timeoutMs, connectionTimeout: options.timeoutMs } : {}),
  });
}
