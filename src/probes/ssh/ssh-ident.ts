/**
 * Reads an SSH server's identification line (`SSH-2.0-OpenSSH_9.6 Ubuntu`, RFC 4253 §4.2). The
 * server may send other lines first; everything read is capped, so a peer that talks forever
 * without an identification cannot grow memory.
 * @module
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { excerpt } from '../tcp/text-pattern.ts';

/** RFC 4253 allows 255 bytes per identification line; pre-banner lines get the rest. */
const MAX_IDENT_BYTES = 8 * 1024;
const IDENT = /^SSH-([^-\s]+)-(\S+)(?: (.*))?$/;

/** The parsed identification of an SSH server. */
export interface SshIdent {
  /** The whole line without CR LF. */
  line: string;
  /** Protocol version: `2.0` (or `1.99`, meaning 2.0 and 1.x). */
  protocol: string;
  /** Software version, e.g. `OpenSSH_9.6`. */
  software: string;
  comments?: string;
  /** `performance.now()` when the line arrived. */
  at: number;
}

/** Parses one line; undefined when it is not an identification line. */
export function parseIdent(line: string, at = 0): SshIdent | undefined {
  const match = IDENT.exec(line);
  if (!match) return undefined;
  return { line, protocol: match[1], software: match[2], ...(match[3] ? { comments: match[3] } : {}), at };
}

/**
 * Watches `socket` for the identification line without consuming it (other listeners, such as an
 * SSH client library, see the same bytes). Rejects with a `protocol` failure on a non-SSH reply.
 */
export function watchIdent(socket: Socket, target: string): Promise<SshIdent> {
  return new Promise((resolve, reject) => {
    let text = '';
    const stop = () => socket.off('data', onData).off('close', onClose);
    const onClose = () => {
      stop();
      reject(new ProbeFailure('reset', `${target} closed the connection before identifying itself${text ? ` (got ${excerpt(text)})` : ''}`));
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1', 0, Math.min(chunk.length, MAX_IDENT_BYTES - text.length + 1));
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
        const line = text.slice(0, end).replace(/\r$/, '');
        text = text.slice(end + 1);
        if (!line.startsWith('SSH-')) {
          // Lines before the identification are allowed, but an HTTP or SMTP answer is not SSH.
          if (/^(HTTP\/|220 |\+OK|\* OK|-ERR)/.test(line)) return fail(line);
          continue;
        }
        stop();
        const ident = parseIdent(line, performance.now());
        if (ident) return resolve(ident);
        return reject(new ProbeFailure('protocol', `${target} sent a malformed SSH identification ${excerpt(line)}`));
      }
      if (text.length > MAX_IDENT_BYTES) fail(text);
    };
    const fail = (seen: string) => {
      stop();
      reject(new ProbeFailure('protocol', `${target} does not speak SSH (got ${excerpt(seen)})`));
    };
    socket.on('data', onData).on('close', onClose);
  });
}
