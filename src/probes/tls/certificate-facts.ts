/**
 * Certificate facts in one shape for every probe that speaks TLS (`tls` checks and `https`
 * URLs), so one condition or alert rule — `details.certificate.expiresInMs < 14d` — covers both.
 * @module
 */
import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import type { Failure } from '../../domain/result.ts';

const DAY_MS = 86_400_000;

/** The leaf certificate as conditions and the detail page see it. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** Expiry, epoch ms. */
  validTo: number;
  /** Time left until expiry at probe time (negative once expired). */
  expiresInMs: number;
  /** Whether the certificate names the host the probe connected to. */
  hostnameMatches: boolean;
}

/** One certificate of the presented chain, leaf first. */
export interface ChainEntry {
  subject: string;
  issuer: string;
  validTo: number;
}

/** `CN=localhost, O=Example` from Node's parsed name object. */
function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** True when `cert` is valid for `host` (DNS name or IP), using Node's own rules. */
function hostnameMatches(host: string, cert: PeerCertificate): boolean {
  try {
    return checkServerIdentity(host, cert) === undefined;
  } catch {
    return false;
  }
}

/** Facts of the leaf certificate, or undefined when the peer presented none. */
export function certificateFacts(cert: PeerCertificate | undefined, host: string, now: number): CertificateFacts | undefined {
  if (!cert || !cert.valid_to) return undefined;
  const validTo = Date.parse(cert.valid_to);
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    validTo,
    expiresInMs: validTo - now,
    hostnameMatches: hostnameMatches(host, cert),
  };
}

/** The presented chain, leaf first; stops at a self-issued certificate or after 10 links. */
export function chainFacts(cert: DetailedPeerCertificate | undefined): ChainEntry[] {
  const chain: ChainEntry[] = [];
  for (let current = cert; current && current.valid_to && chain.length < 10; ) {
    chain.push({ subject: formatName(current.subject), issuer: formatName(current.issuer), validTo: Date.parse(current.valid_to) });
    const next = current.issuerCertificate;
    if (!next || next === current || next.fingerprint256 === current.fingerprint256) break;
    current = next;
  }
  return chain;
}

/**
 * A readable sentence for an OpenSSL verification code (`CERT_HAS_EXPIRED` → "certificate
 * expired on 2000-12-31"). The code stays in parentheses so it can be searched for.
 */
export function describeVerifyError(code: string, facts: CertificateFacts | undefined): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `certificate expired${facts ? ` on ${day(facts.validTo)}` : ''} (${code})`;
    case 'CERT_NOT_YET_VALID':
      return `certificate is not valid yet (${code})`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `certificate is self-signed and not trusted${facts ? ` (issuer ${facts.issuer})` : ''} (${code})`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `certificate issuer is not trusted${facts ? ` (issuer ${facts.issuer})` : ''}; set a custom CA if this is a private CA (${code})`;
    case 'HOSTNAME_MISMATCH':
      return `certificate does not match the host name${facts ? ` (subject ${facts.subject})` : ''} (${code})`;
    default:
      return `certificate is not trusted (${code})`;
  }
}

/**
 * The `tls` failure of a certificate that expires within `minDaysValid` days (or has expired),
 * for the `minDaysValid` option of the tls and starttls kinds; undefined when it is valid long
 * enough, or there is no minimum or no certificate.
 */
export function expiryFailure(certificate: CertificateFacts | undefined, minDaysValid: number | undefined, target: string): Failure | undefined {
  if (minDaysValid === undefined || !certificate || certificate.expiresInMs >= minDaysValid * DAY_MS) return undefined;
  const days = Math.floor(certificate.expiresInMs / DAY_MS);
  const when = certificate.expiresInMs < 0 ? `expired ${-days} days ago` : `expires in ${days} days`;
  return { class: 'tls', message: `certificate for ${target} ${when} (minimum ${minDaysValid} days)` };
}
