/**
 * The `dns` probe: asks a resolver for one name and type and checks the rcode and answers.
 *
 * ```yaml
 * dns:
 *   name: example.com
 *   type: A                 # A | AAAA | CNAME | MX | TXT | NS (default A)
 *   resolver: 1.1.1.1:53    # host[:port] or [v6]:port; default: the system resolver
 *   rcode: NOERROR          # expected rcode (default NOERROR)
 *   answers: [93.184.215.14]  # values that must all be present
 * ```
 * Outcome: `details.dns = { rcode, answers, resolver }`. A wrong rcode that is an error
 * (NXDOMAIN, SERVFAIL, REFUSED, …) or an unreachable resolver fails with class `dns`; NOERROR
 * when another rcode was expected fails with `status`; a missing expected answer, or no record
 * at all when NOERROR is expected, fails with `body`; no reply before the signal fires → `timeout`.
 * @module
 */
import { z } from 'zod';
import { defineProbe, type Probe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { answerPresent, DNS_RECORD_TYPES, formatWireAnswer, normalizeExpected, type DnsRecordType } from './dns-answers.ts';
import { queryDns } from './dns-query.ts';
import { formatResolver, parseResolver } from './resolver-address.ts';
import { createSystemResolver, resolveWithSystem, type SystemResolverFactory } from './system-resolve.ts';

const RCODES = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP'] as const;

const upperEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((text) => text.trim().toUpperCase()).pipe(z.enum(values));

const schema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_-]+)*\.?$/, 'must be a DNS name like example.com'),
  type: upperEnum(DNS_RECORD_TYPES).default('A'),
  resolver: z
    .string()
    .trim()
    .refine((text) => parseResolver(text) !== undefined, 'must be host[:port] or [ipv6]:port, like 1.1.1.1:53')
    .optional(),
  rcode: upperEnum(RCODES).default('NOERROR'),
  answers: z.array(z.string().trim().min(1)).min(1).optional(),
});

export type DnsProbeConfig = z.output<typeof schema>;

/** The facts the probe puts in `details.dns`, for conditions and the detail page. */
export interface DnsDetails {
  rcode: string;
  answers: string[];
  resolver: string;
}

export interface DnsProbeDeps {
  /** Resolver for checks without `resolver:`; default: node:dns with the system's servers. */
  systemResolver?: SystemResolverFactory;
  /** UDP retransmission interval (default 1 s). */
  retransmitMs?: number;
}

/** Builds the dns probe; `dnsProbe` is the default instance the registry uses. */
export function createDnsProbe(deps: DnsProbeDeps = {}): Probe<DnsProbeConfig> {
  const systemResolver = deps.systemResolver ?? createSystemResolver;
  const retransmitMs = deps.retransmitMs ?? 1000;

  return defineProbe<DnsProbeConfig>({
    kind: 'dns',
    schema: schema as z.ZodType<DnsProbeConfig>,
    describe: (config) => `${config.name} ${config.type}${config.resolver ? ` @${config.resolver}` : ''}`,
    async run(config, ctx) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const address = config.resolver ? parseResolver(config.resolver) : undefined;
      const resolverText = address ? formatResolver(address) : 'system';

      const result = address
        ? await queryDns({ name: config.name, type: config.type, resolver: address, signal: ctx.signal, retransmitMs }).then((r) =>
            r.kind === 'reply'
              ? { ...r, rcode: r.reply.rcode, answers: wireAnswers(r.reply.answers, config.type) }
              : r,
          )
        : await resolveWithSystem(systemResolver({ timeoutMs: ctx.timeoutMs }), config.name, config.type, ctx.signal);

      const total = elapsed();
      const fail = (failure: Failure, extra: Partial<ProbeOutcome> = {}): ProbeOutcome => ({
        ok: false,
        latencyMs: total,
        timings: { total },
        failure,
        ...extra,
      });
      const where = resolverText === 'system' ? 'the system resolver' : `resolver ${resolverText}`;
      switch (result.kind) {
        case 'aborted':
          return fail({ class: 'timeout', message: `no answer from ${where} for ${config.name} ${config.type} after ${total}ms` });
        case 'unreachable':
          return fail({ class: 'dns', message: `${where} unreachable (${result.message})` });
        case 'malformed':
          return fail({ class: 'protocol', message: `${where}: ${result.message}` });
      }

      const details: DnsDetails = { rcode: result.rcode, answers: result.answers, resolver: resolverText };
      const answered: Partial<ProbeOutcome> = { timings: { firstByte: total, total }, details: { dns: details } };
      const failure = assess(config, details);
      return failure ? fail(failure, answered) : { ok: true, latencyMs: total, ...answered };
    },
  });
}

/** The default dns probe (system resolver from node:dns). */
export const dnsProbe = createDnsProbe();

function wireAnswers(answers: Parameters<typeof formatWireAnswer>[0][], type: DnsRecordType): string[] {
  return answers.map((answer) => formatWireAnswer(answer, type)).filter((text): text is string => text !== undefined);
}

/** The first failed assertion, or undefined when the reply is what the config expects. */
function assess(config: DnsProbeConfig, dns: DnsDetails): Failure | undefined {
  const query = `${config.name} ${config.type}`;
  if (dns.rcode !== config.rcode) {
    const failureClass = dns.rcode === 'NOERROR' ? 'status' : 'dns';
    const meaning = RCODE_MEANING[dns.rcode] ? ` (${RCODE_MEANING[dns.rcode]})` : '';
    return { class: failureClass, message: `${query}: ${dns.rcode}${meaning}, expected ${config.rcode}` };
  }
  if (config.rcode !== 'NOERROR') return undefined;
  if (dns.answers.length === 0) return { class: 'body', message: `${query}: no ${config.type} records` };
  const missing = (config.answers ?? []).filter(
    (value) => !answerPresent(normalizeExpected(value, config.type), dns.answers, config.type),
  );
  if (missing.length === 0) return undefined;
  return {
    class: 'body',
    message: `${query}: missing ${missing.join(', ')} (got ${truncate(dns.answers.join(', '), 200)})`,
  };
}

const RCODE_MEANING: Record<string, string> = {
  NXDOMAIN: 'name does not exist',
  SERVFAIL: 'resolver failed to answer',
  REFUSED: 'resolver refused the query',
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
