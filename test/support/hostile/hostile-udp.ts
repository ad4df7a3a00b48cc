/**
 * UDP fixtures on 127.0.0.1: an echo server (replies `PONG <payload>`), a silent one that reads
 * and never answers, and one that answers every datagram with binary garbage.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';

export interface UdpListening {
  port: number;
  close(): Promise<void>;
}

/** What the garbage fixture answers. */
export const UDP_GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37]);

function bind(onMessage: (socket: Socket, message: Buffer, peer: { address: string; port: number }) => void): Promise<UdpListening> {
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => onMessage(socket, message, peer));
  socket.on('error', () => {}); // a client that vanished makes sends fail; the fixture carries on
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve({ port: socket.address().port, close: () => new Promise<void>((done) => socket.close(() => done())) });
    });
  });
}

/** Replies `PONG ` followed by the datagram it received. */
export function startUdpEcho(): Promise<UdpListening> {
  return bind((socket, message, peer) => socket.send(Buffer.concat([Buffer.from('PONG '), message]), peer.port, peer.address));
}

/** Receives and never answers. */
export function startUdpSilent(): Promise<UdpListening> {
  return bind(() => {});
}

/** Answers every datagram with `UDP_GARBAGE`. */
export function startUdpGarbage(): Promise<UdpListening> {
  return bind((socket, _message, peer) => socket.send(UDP_GARBAGE, peer.port, peer.address));
}

/** A UDP port that was just free on 127.0.0.1 (bound, then released). */
export async function closedUdpPort(): Promise<number> {
  const listening = await startUdpSilent();
  await listening.close();
  return listening.port;
}
