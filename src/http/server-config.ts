/**
 * The `server:` config section: how the HTTP server treats the network in front of it. Which
 * proxies are trusted to say who the client is (`trustProxy`) applies to every runtime; the Node
 * server also reads its connection limits from here.
 * @module
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { duration } from '../kernel/duration.ts';

/** An IP address, or a CIDR block `address/prefix` (prefix ≤ 32 for IPv4, ≤ 128 for IPv6). */
function isAddressOrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `trustProxy`: absent or 0 = use the socket address and ignore `X-Forwarded-For`; a number N =
 * the client is the address N hops back (N proxies in front, each appending to the header); a
 * list of addresses/CIDRs = skip trusted proxies from the right, the first untrusted one is the client.
 */
export const trustProxySchema = z.union([
  z.number().int().min(0).max(20),
  z
    .array(z.string().refine(isAddressOrCidr, 'must be an IP address or a CIDR block such as 10.0.0.0/8'))
    .min(1)
    .max(200),
]);

/** A timeout between 100 ms and 1 h. */
const timeout = (fallback: number) =>
  duration.pipe(z.number().min(100, 'must be at least 100ms').max(3_600_000, 'must be at most 1h')).default(fallback);

export const serverConfigSchema = z
  .strictObject({
    trustProxy: trustProxySchema.default(0),
    /** Open inbound connections at most; more are closed on accept (keeps file descriptors for probes). */
    maxConnections: z.number().int().min(1).max(1_000_000).default(512),
    /**
     * Open connections from one socket address at most; 0 = no per-address cap. Default 64, or
     * 0 when `trustProxy` is set (every connection then comes from the proxy).
     */
    maxConnectionsPerClient: z.number().int().min(0).max(1_000_000).optional(),
    /** Time to receive a request's headers (also how long a connection may sit idle before its first request). */
    headersTimeout: timeout(10_000),
    /** Time to receive a whole request, headers and body: a body trickled slower than this is cut (408). */
    requestTimeout: timeout(30_000),
    /** How long an idle keep-alive connection is kept between requests. */
    keepAliveTimeout: timeout(5_000),
  })
  .prefault({})
  .refine((server) => server.requestTimeout >= server.headersTimeout, {
    message: 'requestTimeout must be at least headersTimeout',
    path: ['requestTimeout'],
  });

/** The validated `server:` section. */
export type ServerConfig = z.output<typeof serverConfigSchema>;
