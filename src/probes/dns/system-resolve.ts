/**
 * A DNS query through the system's configured resolvers (node:dns, i.e. c-ares reading
 * /etc/resolv.conf). node:dns reports rcodes as error codes; they are mapped back here so both
 * resolver paths produce the same facts.
 * @module
 */
import { promises as dnsPromises } from 'node:dns';
import { formatMx, formatTxt, normalizeIpv6, normalizeName, type DnsRecordType } from './dns-answers.ts';

/** The slice of node's `dns.promises.Resolver` the probe uses (tests hand in one aimed at a local server). */
export interface SystemResolver {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveCname(name: string): Promise<string[]>;
  resolveNs(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<Array<{ priority: number; exchange: string }>>;
  resolveTxt(name: string): Promise<string[][]>;
  cancel(): void;
}

/** Builds a resolver for one query; `timeoutMs` is the whole budget of the check. */
export type SystemResolverFactory = (options: { timeoutMs: number }) => SystemResolver;

/** The default: node's resolver with the system's servers, one retry inside the budget. */
export const createSystemResolver: SystemResolverFactory = ({ timeoutMs }) =>
  new dnsPromises.Resolver({ timeout: Math.max(200, Math.floor(timeoutMs / 2)), tries: 2 });

export type SystemResolveResult =
  | { kind: 'reply'; rcode: string; answers: string[] }
  | { kind: 'aborted' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'malformed'; message: string };

/** node:dns error codes that are really rcodes of a reply that arrived. */
const RCODE_OF_ERROR: Record<string, string> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR', // the name exists but has no record of this type
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  EFORMERR: 'FORMERR',
  ENOTIMP: 'NOTIMP',
};

/** Resolves `name`/`type` through `resolver`, honouring `signal`. Never throws for DNS failures. */
export async function resolveWithSystem(
  resolver: SystemResolver,
  name: string,
  type: DnsRecordType,
  signal: AbortSignal,
): Promise<SystemResolveResult> {
  if (signal.aborted) return { kind: 'aborted' };
  let onAbort = () => {};
  const aborted = new Promise<SystemResolveResult>((resolve) => {
    onAbort = () => {
      resolver.cancel();
      resolve({ kind: 'aborted' });
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([lookup(resolver, name, type), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function lookup(resolver: SystemResolver, name: string, type: DnsRecordType): Promise<SystemResolveResult> {
  try {
    return { kind: 'reply', rcode: 'NOERROR', answers: await answersOf(resolver, name, type) };
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code ?? '');
    const rcode = RCODE_OF_ERROR[code];
    if (rcode) return { kind: 'reply', rcode, answers: [] };
    if (code === 'ETIMEOUT' || code === 'ECANCELLED') return { kind: 'aborted' };
    if (code === 'EBADRESP') return { kind: 'malformed', message: `bad reply from the system resolver (${code})` };
    return { kind: 'unreachable', message: code ? `${code}: ${(error as Error).message}` : String(error) };
  }
}

async function answersOf(resolver: SystemResolver, name: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return (await resolver.resolve6(name)).map(normalizeIpv6);
    case 'CNAME':
      return (await resolver.resolveCname(name)).map(normalizeName);
    case 'NS':
      return (await resolver.resolveNs(name)).map(normalizeName);
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => formatMx(mx.priority, mx.exchange));
    case 'TXT':
      return (await resolver.resolveTxt(name)).map(formatTxt);
  }
}
