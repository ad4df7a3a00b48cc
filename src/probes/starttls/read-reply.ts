/**
 * Reads one protocol reply (one or more CRLF lines) from a mail server, with a byte cap and the
 * check's abort signal. The socket is paused between replies, so bytes a server pushes before
 * the TLS handshake are never read as plaintext — and one that sends extra bytes right after
 * agreeing to STARTTLS is caught (the STARTTLS command-injection pattern, CVE-2011-0411 and kin).
 * @module
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { excerpt } from '../tcp/text-pattern.ts';

/** A greeting or capability list is a few hundred bytes; anything this long is not a mail server. */
const MAX_REPLY_BYTES = 16 * 1024;

export interface Reply {
  lines: string[];
  /** Bytes that arrived after the reply's last line. */
  rest: string;
  /** `performance.now()` when the first byte arrived. */
  firstByteAt: number;
}

export interface ReadOptions {
  signal: AbortSignal;
  timeoutMs: number;
  target: string;
  /** What is awaited, for messages: "the SMTP greeting". */
  what: string;
  /** True when `lines` form a complete reply (e.g. an SMTP line with a space after the code). */
  complete(lines: string[]): boolean;
}

/** Reads until `complete(lines)`; rejects with a `ProbeFailure` on timeout, close or overflow. */
export function readReply(socket: Socket, options: ReadOptions): Promise<Reply> {
  const { signal, target, what } = options;
  return new Promise((resolve, reject) => {
    let text = '';
    let firstByteAt = 0;
    const lines: string[] = [];
    const finish = (err?: unknown) => {
      signal.removeEventListener('abort', onAbort);
      socket.off('data', onData).off('close', onClose).off('error', finish);
      socket.pause();
      if (err) reject(err);
      else resolve({ lines, rest: text, firstByteAt });
    };
    const got = () => (lines.length || text ? ` (got ${excerpt([...lines, text].join('\n').trim())})` : '');
    const onAbort = () => finish(new ProbeFailure('timeout', `timed out after ${options.timeoutMs} ms waiting for ${what} from ${target}${got()}`));
    const onClose = () => finish(new ProbeFailure('reset', `${target} closed the connection before sending ${what}${got()}`));
    const onData = (chunk: Buffer) => {
      firstByteAt ||= performance.now();
      text += chunk.toString('latin1');
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
        lines.push(text.slice(0, end).replace(/\r$/, ''));
        text = text.slice(end + 1);
        if (options.complete(lines)) return finish();
      }
      const size = lines.reduce((sum, line) => sum + line.length, text.length);
      if (size > MAX_REPLY_BYTES) finish(new ProbeFailure('protocol', `${target} sent more than ${MAX_REPLY_BYTES} bytes without completing ${what}${got()}`));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData).on('close', onClose).on('error', finish);
    socket.resume();
  });
}

/** Writes a command line (CRLF added). */
export function sendLine(socket: Socket, line: string): void {
  socket.write(`${line}\r\n`);
}
