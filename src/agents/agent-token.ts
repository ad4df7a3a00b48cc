/**
 * Probe-agent credentials. Each agent has its own long random token; the server keeps only its
 * SHA-256 (Store credentials, scope `agent`) under the subject `<name>/<region>`, so the region
 * an agent reports for is decided by its token, never by what it sends.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';

/** Agent and region names: lower-case words joined by dashes (`eu-west`, `probe-1`). */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Token prefix: recognisable in logs and secret scanners, never part of the secret's entropy. */
const TOKEN_PREFIX = 'upa_';

/** A fresh token: the prefix plus 32 random bytes in base64url. */
export function generateAgentToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Hex SHA-256 of a token: what the store keeps and looks up. */
export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** An agent's identity as stored in the credential's subject. */
export interface AgentIdentity {
  name: string;
  region: string;
}

export function agentSubject(identity: AgentIdentity): string {
  return `${identity.name}/${identity.region}`;
}

/** Reads a credential subject back; undefined when it is not an agent subject. */
export function parseAgentSubject(subject: string): AgentIdentity | undefined {
  const [name, region, ...rest] = subject.split('/');
  if (rest.length || !name || !region || !AGENT_NAME_PATTERN.test(name) || !AGENT_NAME_PATTERN.test(region)) return undefined;
  return { name, region };
}
