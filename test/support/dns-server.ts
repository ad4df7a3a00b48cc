/**
 * A real DNS server for tests: UDP and TCP on 127.0.0.1, same port, with programmable behaviour
 * per name — records, an error rcode (NXDOMAIN, SERVFAIL, REFUSED, …), a truncated UDP reply
 * (forcing the client onto TCP), a delay, or no reply at all. Unknown names get NXDOMAIN.
 * @module
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A record served for a name; `name` is filled in from the question. */
export type DnsRecord = DistributiveOmit<Exclude<Answer, { type: 'OPT' }>, 'name'>;

/** How the server treats queries for one name. */
export interface DnsBehaviour {
  /** Records of any type; the reply carries those matching the question's type (and CNAMEs). */
  records?: DnsRecord[];
  /** Reply with this rcode (default NOERROR). */
  rcode?: 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
  /** Never reply (over UDP and TCP). */
  silent?: boolean;
  /** Reply over UDP with TC set and no records, so clients retry over TCP. */
  truncateUdp?: boolean;
  /** Wait this long before replying. */
  delayMs?: number;
}

/** A query as the server saw it. */
export interface SeenQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface TestDnsServer {
  host: string;
  port: number;
  /** `127.0.0.1:<port>`, ready for a `resolver:` setting. */
  address: string;
  /** Sets (replaces) the behaviour for a name (case-insensitive, trailing dot ignored). */
  set(name: string, behaviour: DnsBehaviour): void;
  /** Every query received, oldest first. */
  queries: SeenQuery[];
  close(): Promise<void>;
}

const RCODE_NUMBER = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const key = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** Starts the server on an ephemeral port with an initial zone. */
export async function startDnsServer(zone: Record<string, DnsBehaviour> = {}): Promise<TestDnsServer> {
  const behaviours = new Map(Object.entries(zone).map(([name, b]) => [key(name), b]));
  const queries: SeenQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<net.Socket>();

  /** The reply to a query, or undefined when the server should stay silent. */
  const answer = (query: DecodedPacket, transport: SeenQuery['transport']): { reply: Packet; delayMs: number } | undefined => {
    const question = query.questions?.[0];
    if (!question) return undefined;
    queries.push({ name: question.name, type: question.type, transport });
    const behaviour = behaviours.get(key(question.name)) ?? { rcode: 'NXDOMAIN' };
    if (behaviour.silent) return undefined;
    const truncated = transport === 'udp' && behaviour.truncateUdp === true;
    const records = truncated
      ? []
      : (behaviour.records ?? [])
          .filter((record) => record.type === question.type || record.type === 'CNAME')
          .map((record) => ({ ...record, name: question.name }) as Answer);
    const flags =
      ((query.flags ?? 0) & packet.RECURSION_DESIRED) |
      packet.RECURSION_AVAILABLE |
      (truncated ? packet.TRUNCATED_RESPONSE : 0) |
      RCODE_NUMBER[behaviour.rcode ?? 'NOERROR'];
    return { reply: { type: 'response', id: query.id, flags, questions: [question], answers: records }, delayMs: behaviour.delayMs ?? 0 };
  };

  const later = (delayMs: number, send: () => void) => {
    if (delayMs <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, delayMs);
    timers.add(timer);
  };

  const createUdp = () => {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (message, remote) => {
      let query: DecodedPacket;
      try {
        query = packet.decode(message);
      } catch {
        return; // garbage: a real server would drop it too
      }
      const result = answer(query, 'udp');
      if (result) later(result.delayMs, () => udp.send(packet.encode(result.reply), remote.port, remote.address));
    });
    return udp;
  };

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        let query: DecodedPacket;
        try {
          query = packet.decode(message);
        } catch {
          return socket.destroy();
        }
        const result = answer(query, 'tcp');
        if (result) later(result.delayMs, () => socket.writable && socket.write(packet.streamEncode(result.reply)));
      }
    });
  });

  const { udp, port } = await bindBoth(createUdp, tcp);
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    queries,
    set(name, behaviour) {
      behaviours.set(key(name), behaviour);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise((resolve) => tcp.close(resolve))]);
    },
  };
}

/** Binds UDP to an ephemeral port, then TCP to the same one (retrying if that TCP port is taken). */
async function bindBoth(createUdp: () => dgram.Socket, tcp: net.Server): Promise<{ udp: dgram.Socket; port: number }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const udp = createUdp();
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const port = udp.address().port;
    try {
      tcp.listen(port, '127.0.0.1');
      await once(tcp, 'listening');
      return { udp, port };
    } catch {
      // `once` rejects on 'error' (EADDRINUSE): try another port.
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
  }
  throw new Error('could not bind UDP and TCP to the same port');
}
