/**
 * Raw TCP fixtures that no HTTP server library would produce: headers dribbled one byte a
 * second forever (slowloris), garbage instead of HTTP, a port that accepts and never answers,
 * and a line-based banner service for the tcp probe.
 * @module
 */
import { createServer, type Socket } from 'node:net';
import { listenTracked, type Listening } from './listen.ts';

/** The banner the banner fixture greets with. */
export const BANNER = '220 upstate-fixture ESMTP ready\r\n';
/** What the garbage fixture answers to anything. */
export const GARBAGE = 'SSH-2.0-NotHttp\r\n\u0000\u00ff\u00fe garbage \r\n\r\n';

function onSocket(handle: (socket: Socket) => void): Promise<Listening> {
  return listenTracked(createServer(handle));
}

/** Sends an HTTP status line and headers one byte per `intervalMs`, forever. */
export function startSlowloris(intervalMs = 1000): Promise<Listening> {
  return onSocket((socket) => {
    // Computed per byte: a long header string per connection would cost megabytes at scale.
    const prefix = 'HTTP/1.1 200 OK\r\nX-Slow: ';
    let index = 0;
    const nextByte = () => (index < prefix.length ? prefix[index++] : 'a');
    socket.write(nextByte()); // the first byte at once: the peer looks alive, then crawls
    const timer = setInterval(() => socket.write(nextByte()), intervalMs);
    socket.on('close', () => clearInterval(timer));
  });
}

/** Answers the first bytes it receives with non-HTTP garbage, then closes. */
export function startGarbage(): Promise<Listening> {
  return onSocket((socket) => socket.once('data', () => socket.end(GARBAGE)));
}

/** Accepts connections and reads forever without ever writing. */
export function startSilent(): Promise<Listening> {
  return onSocket((socket) => socket.resume());
}

/** Greets with `BANNER`; answers `PING` lines with `+PONG`, `QUIT` by closing. */
export function startBanner(): Promise<Listening> {
  return onSocket((socket) => {
    socket.write(BANNER);
    socket.on('data', (data: Buffer) => {
      const text = data.toString('utf8');
      if (text.includes('PING')) socket.write('+PONG\r\n');
      if (text.includes('QUIT')) socket.end('221 bye\r\n');
    });
  });
}
