/**
 * The few lines of SMTP, IMAP and POP3 needed to reach a TLS handshake: read the greeting, ask
 * for STARTTLS (STLS in POP3), and check the answer. Each dialog is data plus two small
 * functions, so the probe itself stays protocol-agnostic.
 * @module
 */
import type { Socket } from 'node:net';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { excerpt } from '../tcp/text-pattern.ts';
import { readReply, sendLine, type Reply } from './read-reply.ts';

export const MAIL_PROTOCOLS = ['smtp', 'imap', 'pop3', 'smtps', 'imaps', 'pop3s'] as const;
export type MailProtocol = (typeof MAIL_PROTOCOLS)[number];

/** Well-known ports: submission (587) is the usual STARTTLS port for SMTP clients, 25 for relays. */
export const DEFAULT_PORTS: Record<MailProtocol, number> = { smtp: 25, imap: 143, pop3: 110, smtps: 465, imaps: 993, pop3s: 995 };

/** Implicit-TLS variants: TLS from the first byte, then the same greeting. */
export const IMPLICIT_TLS: Record<MailProtocol, boolean> = { smtp: false, imap: false, pop3: false, smtps: true, imaps: true, pop3s: true };

interface DialogContext {
  socket: Socket;
  signal: AbortSignal;
  timeoutMs: number;
  target: string;
}

interface Dialog {
  name: string;
  /** Reads and checks the greeting; returns its first line. */
  greeting(ctx: DialogContext): Promise<Reply>;
  /** Asks for STARTTLS and checks the server agreed, with nothing sent after the agreement. */
  starttls(ctx: DialogContext): Promise<void>;
}

/**
 * SMTP replies end at the first line that is not a `250-…` continuation; a line that is not SMTP
 * at all ends it too, so a POP3 or HTTP answer fails at once instead of waiting for the timeout.
 */
const smtpComplete = (lines: string[]) => !/^\d{3}-/.test(lines[lines.length - 1]);
const oneLine = () => true;

function expect(reply: Reply, ok: (first: string, last: string) => boolean, what: string, target: string, failureClass: 'protocol' | 'status' = 'protocol'): void {
  const first = reply.lines[0] ?? '';
  const last = reply.lines[reply.lines.length - 1] ?? '';
  if (!ok(first, last)) throw new ProbeFailure(failureClass, `${target} answered ${what} with ${excerpt(reply.lines.join(' | '))}`);
}

function noTrailingBytes(reply: Reply, target: string): void {
  if (reply.rest.length) throw new ProbeFailure('protocol', `${target} sent data after agreeing to STARTTLS, before the TLS handshake (${excerpt(reply.rest)}); a man in the middle could inject commands`);
}

const smtp: Dialog = {
  name: 'SMTP',
  async greeting({ socket, ...ctx }) {
    const reply = await readReply(socket, { ...ctx, what: 'the SMTP greeting', complete: smtpComplete });
    // 554 is a server refusing service right at the door: an answer, but the wrong one.
    expect(reply, (_f, last) => last.startsWith('220'), 'the connection', ctx.target, reply.lines[0]?.match(/^[45]\d\d/) ? 'status' : 'protocol');
    return reply;
  },
  async starttls({ socket, ...ctx }) {
    sendLine(socket, 'EHLO upstate.localhost');
    const ehlo = await readReply(socket, { ...ctx, what: 'the EHLO reply', complete: smtpComplete });
    expect(ehlo, (_f, last) => last.startsWith('250'), 'EHLO', ctx.target);
    if (!ehlo.lines.some((line) => /^250[- ]STARTTLS\b/i.test(line))) throw new ProbeFailure('protocol', `${ctx.target} does not offer STARTTLS (EHLO lists ${excerpt(ehlo.lines.slice(1).map((l) => l.slice(4)).join(' '))})`);
    sendLine(socket, 'STARTTLS');
    const reply = await readReply(socket, { ...ctx, what: 'the STARTTLS reply', complete: smtpComplete });
    expect(reply, (_f, last) => last.startsWith('220'), 'STARTTLS', ctx.target);
    noTrailingBytes(reply, ctx.target);
  },
};

const imap: Dialog = {
  name: 'IMAP',
  async greeting({ socket, ...ctx }) {
    const reply = await readReply(socket, { ...ctx, what: 'the IMAP greeting', complete: oneLine });
    expect(reply, (first) => /^\* (OK|PREAUTH)\b/i.test(first), 'the connection', ctx.target, /^\* BYE/i.test(reply.lines[0] ?? '') ? 'status' : 'protocol');
    return reply;
  },
  async starttls({ socket, ...ctx }) {
    sendLine(socket, 'u1 STARTTLS');
    // Untagged lines may come first; the tagged one ends the reply.
    const reply = await readReply(socket, { ...ctx, what: 'the STARTTLS reply', complete: (lines) => /^u1 /i.test(lines[lines.length - 1]) });
    expect(reply, (_f, last) => /^u1 OK\b/i.test(last), 'STARTTLS', ctx.target);
    noTrailingBytes(reply, ctx.target);
  },
};

const pop3: Dialog = {
  name: 'POP3',
  async greeting({ socket, ...ctx }) {
    const reply = await readReply(socket, { ...ctx, what: 'the POP3 greeting', complete: oneLine });
    expect(reply, (first) => first.startsWith('+OK'), 'the connection', ctx.target, reply.lines[0]?.startsWith('-ERR') ? 'status' : 'protocol');
    return reply;
  },
  async starttls({ socket, ...ctx }) {
    sendLine(socket, 'STLS');
    const reply = await readReply(socket, { ...ctx, what: 'the STLS reply', complete: oneLine });
    expect(reply, (first) => first.startsWith('+OK'), 'STLS', ctx.target);
    noTrailingBytes(reply, ctx.target);
  },
};

/** The dialog for a protocol (implicit-TLS variants share their plain one). */
export function dialogFor(protocol: MailProtocol): Dialog {
  return { smtp, smtps: smtp, imap, imaps: imap, pop3, pop3s: pop3 }[protocol];
}
