/**
 * Just enough of RESP (the Redis serialization protocol, version 2) for a health check: encode
 * one command, decode one reply. A client library (ioredis, node-redis) would bring reconnects,
 * offline queues and pipelining that a one-shot probe must switch off, and buffers whatever
 * length a reply claims; this decoder works on the bytes read so far and so lets the probe cap
 * them. Valkey, KeyDB and Dragonfly speak the same protocol.
 * @module
 */

/** A decoded reply: status/bulk strings, integers, nulls, arrays, and server errors. */
export type RespValue = string | number | null | RespValue[] | RespError;

/** A `-ERR …` reply: data from the server, not an exception. */
export interface RespError {
  error: string;
}

/** Raised when the bytes are not RESP at all (a garbage reply, another protocol). */
export class RespProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespProtocolError';
  }
}

const MAX_DEPTH = 8;
const CRLF = Buffer.from('\r\n');

/** Encodes a command as an array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

/** Decodes the reply starting at `offset`: the value and where it ends, or undefined when incomplete. */
export function decodeReply(buffer: Buffer, offset = 0, depth = 0): { value: RespValue; end: number } | undefined {
  if (depth > MAX_DEPTH) throw new RespProtocolError(`replies nested deeper than ${MAX_DEPTH} levels`);
  if (offset >= buffer.length) return undefined;
  const lineEnd = buffer.indexOf(CRLF, offset);
  if (lineEnd < 0) {
    if (buffer.length - offset > 64 * 1024) throw new RespProtocolError('a reply line longer than 64 KiB');
    if (!'+-:$*'.includes(String.fromCharCode(buffer[offset]))) throw notResp(buffer, offset);
    return undefined;
  }
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: { error: line }, end: next };
    case ':':
      return { value: integer(line), end: next };
    case '$': {
      const length = integer(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = integer(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = decodeReply(buffer, at, depth + 1);
        if (!item) return undefined;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw notResp(buffer, offset);
  }
}

function integer(text: string): number {
  if (!/^-?\d{1,15}$/.test(text)) throw new RespProtocolError(`expected an integer, got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

function notResp(buffer: Buffer, offset: number): RespProtocolError {
  return new RespProtocolError(`not a RESP reply: ${JSON.stringify(buffer.toString('latin1', offset, offset + 40))}`);
}

/** True for a `-ERR …` reply. */
export function isRespError(value: RespValue): value is RespError {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
