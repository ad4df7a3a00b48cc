/**
 * The client's address, the key of every per-client rate limit. By default it is the socket's
 * peer address and `X-Forwarded-For` is ignored: the header is client-controlled unless a proxy
 * we trust rewrites it, so believing it let anyone escape a limit (rotate it) or exhaust someone
 * else's (spoof their address). Behind proxies, `server.trustProxy` says how far to believe it.
 *
 * The peer address comes from @hono/node-server's `c.env.incoming` on Node, and from the
 * `remoteAddress` binding the Lambda handler sets from API Gateway's `sourceIp`.
 * @module
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import type { ServerConfig } from './server-config.ts';

/** Key used when no address can be found (all such clients share one bucket). */
const UNKNOWN_CLIENT = 'unknown';
/** Most `X-Forwarded-For` entries looked at (a proxy chain is short; the header is not). */
const MAX_HOPS_READ = 50;

/** How far `X-Forwarded-For` is believed: a hop count, or the set of trusted proxy addresses. */
export type TrustProxy = { hops: number } | { trusted: BlockList };

/** The runtime bindings read here (Node: @hono/node-server; Lambda: the web handler). */
interface PeerBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: PeerBindings;
  remoteAddress?: string;
}

/** Compiles the `trustProxy` setting (undefined when nothing is trusted). */
export function parseTrustProxy(setting: ServerConfig['trustProxy'] | undefined): TrustProxy | undefined {
  if (setting === undefined || setting === 0) return undefined;
  if (typeof setting === 'number') return { hops: setting };
  const trusted = new BlockList();
  for (const entry of setting) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  return { trusted };
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client has one key whatever the socket family. */
function normalise(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return (mapped?.[1] ?? address).slice(0, 100);
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client address from the raw facts: the `X-Forwarded-For` header, the socket's peer, and
 * what is trusted. Addresses are read right to left (each proxy appends the peer it saw).
 */
export function clientAddressOf(forwardedFor: string | undefined, peer: string | undefined, trust: TrustProxy | undefined): string {
  const socket = peer ? normalise(peer) : UNKNOWN_CLIENT;
  if (!trust || !forwardedFor) return socket;
  const entries = forwardedFor.split(',').slice(-MAX_HOPS_READ).map((entry) => normalise(entry.trim())).filter(Boolean);
  // the chain nearest first: the socket peer, then the header's entries from the right
  const chain = [socket, ...entries.reverse()];
  if ('hops' in trust) return chain[Math.min(trust.hops, chain.length - 1)] as string;
  for (const address of chain) if (!isTrusted(trust.trusted, address)) return address;
  return chain[chain.length - 1] as string;
}

/** The peer address the runtime saw, if it exposes one. */
function peerOf(c: Context): string | undefined {
  const env = c.env as PeerBindings | undefined;
  const bindings = env?.server ?? env;
  return bindings?.remoteAddress ?? bindings?.incoming?.socket?.remoteAddress;
}

/** A request → client address function for the given `trustProxy` setting. */
export function createClientAddress(setting: ServerConfig['trustProxy'] | undefined): (c: Context) => string {
  const trust = parseTrustProxy(setting);
  return (c) => clientAddressOf(c.req.header('x-forwarded-for'), peerOf(c), trust);
}
