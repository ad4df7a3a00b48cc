/**
 * One DNS query to a chosen resolver over UDP, falling back to TCP when the reply is truncated.
 * Speaking the protocol directly (dns-packet) gives the real rcode — REFUSED and SERVFAIL look the
 * same through most stub resolvers — and the answer section as sent.
 *
 * Failures are returned, not thrown: the probe turns each into a failure class.
 * @module
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { DnsRecordType } from './dns-answers.ts';

/** Where to send the query. */
export interface ResolverAddress {
  host: string;
  port: number;
}

export interface DnsQueryOptions {
  name: string;
  type: DnsRecordType;
  resolver: ResolverAddress;
  signal: AbortSignal;
  /** Re-send the UDP query after this long without a reply (UDP datagrams get lost). */
  retransmitMs: number;
}

/** A decoded reply; `answers` is the whole answer section. */
interface DnsReply {
  rcode: string;
  answers: Answer[];
  transport: 'udp' | 'tcp';
}

export type DnsQueryResult =
  | { kind: 'reply'; reply: DnsReply }
  | { kind: 'aborted' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'malformed'; message: string };

/** EDNS0 payload size that avoids IP fragmentation (the DNS Flag Day 2020 value). */
const EDNS_UDP_SIZE = 1232;

/** Sends one query and waits for its reply, the abort signal, or a transport error. */
export async function queryDns(options: DnsQueryOptions): Promise<DnsQueryResult> {
  const id = randomInt(0, 0x10000);
  const query: packet.Packet = {
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type: options.type, name: options.name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  };
  const udp = await queryUdp(packet.encode(query), id, options);
  if (udp.kind !== 'truncated') return udp;
  return queryTcp(packet.streamEncode(query), id, options);
}

type UdpResult = DnsQueryResult | { kind: 'truncated' };

function toReply(decoded: DecodedPacket, transport: DnsReply['transport']): DnsReply {
  // dns-packet decodes the header rcode but its typings omit it.
  const rcode = (decoded as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
  return { rcode, answers: decoded.answers ?? [], transport };
}

function queryUdp(message: Buffer, id: number, options: DnsQueryOptions): Promise<UdpResult> {
  const { host, port } = options.resolver;
  return new Promise((resolve) => {
    if (options.signal.aborted) return resolve({ kind: 'aborted' });
    // A connected socket only accepts datagrams from the resolver and reports ICMP
    // "port unreachable" as ECONNREFUSED instead of silently waiting for the timeout.
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (result: UdpResult) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      options.signal.removeEventListener('abort', onAbort);
      socket.close();
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'aborted' });
    const send = () => {
      if (!done) socket.send(message, (error) => error && finish(unreachable(error)));
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish(unreachable(error)));
    socket.on('message', (datagram) => {
      let decoded: DecodedPacket;
      try {
        decoded = packet.decode(datagram);
      } catch (error) {
        return finish({ kind: 'malformed', message: `undecodable reply (${(error as Error).message})` });
      }
      if (decoded.id !== id || !decoded.flag_qr) return; // a late reply to an earlier query: keep waiting
      finish(decoded.flag_tc ? { kind: 'truncated' } : { kind: 'reply', reply: toReply(decoded, 'udp') });
    });
    // On a failed host lookup node passes the error to this callback instead of emitting 'error'.
    socket.connect(port, host, ((error?: Error) => {
      if (error) return finish(unreachable(error));
      if (done) return; // aborted while the resolver's host name was being looked up
      send();
      timer = setInterval(send, options.retransmitMs);
    }) as () => void);
  });
}

function queryTcp(message: Buffer, id: number, options: DnsQueryOptions): Promise<DnsQueryResult> {
  return new Promise((resolve) => {
    if (options.signal.aborted) return resolve({ kind: 'aborted' });
    const socket = net.connect({ host: options.resolver.host, port: options.resolver.port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (result: DnsQueryResult) => {
      if (done) return;
      done = true;
      options.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'aborted' });
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(message));
    socket.on('error', (error) => finish(unreachable(error)));
    socket.on('close', () => finish({ kind: 'malformed', message: 'resolver closed the TCP connection without a complete reply' }));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      try {
        const decoded = packet.streamDecode(received) as DecodedPacket;
        if (decoded.id !== id) return finish({ kind: 'malformed', message: 'TCP reply has the wrong query id' });
        finish({ kind: 'reply', reply: toReply(decoded, 'tcp') });
      } catch (error) {
        finish({ kind: 'malformed', message: `undecodable TCP reply (${(error as Error).message})` });
      }
    });
  });
}

function unreachable(error: Error): DnsQueryResult {
  const code = (error as NodeJS.ErrnoException).code;
  return { kind: 'unreachable', message: code ? `${code}: ${error.message}` : error.message };
}
