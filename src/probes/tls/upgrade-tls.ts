/**
 * Runs a TLS handshake over an already connected socket and verifies the certificate after the
 * fact, so that a rejected certificate still yields its facts (expiry, subject, issuer). Used
 * for fresh TLS connections (timed-connect.ts) and for STARTTLS upgrades alike, which is what
 * makes a mail server's certificate read exactly like a `tls` check's.
 * @module
 */
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { certificateFacts, chainFacts, describeVerifyError, type CertificateFacts, type ChainEntry } from './certificate-facts.ts';

/** TLS settings of a connection. */
export interface TlsSettings {
  /** SNI and the name the certificate must match; defaults to the host. */
  servername?: string;
  /** Reject untrusted, expired or wrong-host certificates (default true in every probe). */
  verify: boolean;
  /** Trusted CA certificates (PEM text); when set they replace Node's bundled roots, like curl --cacert. */
  ca?: string[];
  /** ALPN protocols to offer, e.g. `['http/1.1']`. */
  alpn?: string[];
}

export interface SecuredSocket {
  socket: TLSSocket;
  certificate?: CertificateFacts;
  chain?: ChainEntry[];
  /** OpenSSL/Node code of a failed verification (only when `verify` was false). */
  verifyError?: string;
}

/**
 * Starts TLS on `raw`; `onSocket` receives the TLS socket at once (so the caller can destroy it
 * on abort). Resolves after a verified handshake; rejects with a `tls` `ProbeFailure` carrying
 * the certificate facts, or with the raw socket error.
 */
export function upgradeTls(raw: Socket, settings: TlsSettings, host: string, display: string, now: () => number, onSocket?: (socket: TLSSocket) => void): Promise<SecuredSocket> {
  const servername = settings.servername ?? host;
  const secure = tlsConnect({
    socket: raw,
    servername: isIP(servername) ? undefined : servername, // SNI must not carry an IP
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined, // checked below against the right name
    ca: settings.ca,
    ALPNProtocols: settings.alpn,
  });
  onSocket?.(secure);
  return new Promise((resolve, reject) => {
    secure.once('error', reject);
    secure.once('secureConnect', () => {
      secure.off('error', reject);
      const peer = secure.getPeerCertificate(true);
      const hasCert = peer && Object.keys(peer).length > 0;
      const certificate = hasCert ? certificateFacts(peer, servername, now()) : undefined;
      const chain = hasCert ? chainFacts(peer) : undefined;
      let verifyError: string | undefined;
      if (!certificate) verifyError = 'NO_PEER_CERTIFICATE';
      else if (!secure.authorized) verifyError = String(secure.authorizationError ?? 'UNKNOWN');
      else if (!certificate.hostnameMatches) verifyError = 'HOSTNAME_MISMATCH';
      if (verifyError && settings.verify) {
        const message = `TLS with ${display}: ${describeVerifyError(verifyError, certificate)}`;
        return reject(new ProbeFailure('tls', message, { details: { certificate, chain } }));
      }
      resolve({ socket: secure, certificate, chain, ...(verifyError ? { verifyError } : {}) });
    });
  });
}
