/**
 * The `server:` config section: how the HTTP server treats the network in front of it. Which
 * proxies are trusted to say who the client is (`trustProxy`) applies to every runtime; the Node
 * server also reads its connection limits from here.
 * @module
 */
import { isIP } from 'node:net';
import { z } from 'zod';

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

export const serverConfigSchema = z
  .strictObject({
    trustProxy: trustProxySchema.default(0),
  })
  .prefault({});

/** The validated `server:` section. */
export type ServerConfig = z.output<typeof serverConfigSchema>;
