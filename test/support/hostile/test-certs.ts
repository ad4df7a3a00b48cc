/**
 * The committed test certificates (see certs/README.md), loaded as PEM text.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A certificate and its private key, PEM. */
export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestCerts {
  /** The test CA certificate: pass it as `ca` to trust `valid`, `expired` and `wrongHost`. */
  ca: string;
  /** Path of the CA file, for configs that take a file. */
  caPath: string;
  valid: KeyPair;
  expired: KeyPair;
  selfSigned: KeyPair;
  wrongHost: KeyPair;
}

const dir = fileURLToPath(new URL('./certs/', import.meta.url));
const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8');
const pair = (name: string): KeyPair => ({ cert: read(`${name}.pem`), key: read(`${name}-key.pem`) });

/** Reads the certificates from disk (small files; read per call, no module state). */
export function loadTestCerts(): TestCerts {
  return {
    ca: read('ca.pem'),
    caPath: `${dir}ca.pem`,
    valid: pair('valid'),
    expired: pair('expired'),
    selfSigned: pair('self-signed'),
    wrongHost: pair('wrong-host'),
  };
}
