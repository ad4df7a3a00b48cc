/**
 * The `resolver:` setting: `host`, `host:port`, `[ipv6]:port` or a bare IPv6 address.
 * @module
 */
import net from 'node:net';
import type { ResolverAddress } from './dns-query.ts';

const DNS_PORT = 53;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/** Parses a resolver setting; undefined when it is not a valid address. */
export function parseResolver(text: string): ResolverAddress | undefined {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return net.isIPv6(bracketed[1]) ? withPort(bracketed[1], bracketed[2]) : undefined;
  if (net.isIPv6(value)) return { host: value, port: DNS_PORT };
  const [host, port, extra] = value.split(':');
  if (extra !== undefined || !(net.isIPv4(host) || HOSTNAME.test(host))) return undefined;
  return withPort(host, port);
}

/** `host:port`, bracketing IPv6 hosts. */
export function formatResolver(address: ResolverAddress): string {
  return net.isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function withPort(host: string, port: string | undefined): ResolverAddress | undefined {
  if (port === undefined) return { host, port: DNS_PORT };
  const number = Number(port);
  return /^\d+$/.test(port) && number >= 1 && number <= 65535 ? { host, port: number } : undefined;
}
