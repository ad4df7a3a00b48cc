/**
 * Gatus endpoint types that are not HTTP, field by field: `icmp://` → `icmp`, `udp://` → `udp`,
 * `ssh://` → `ssh`, `starttls://` → `starttls` (SMTP), `ws://` / `wss://` → `websocket`,
 * `grpc://` / `grpcs://` → `grpc`. Conditions are translated by import-gatus.ts with the kind, so
 * `[STATUS]` on ssh becomes `exitCode` and `[BODY].status` on grpc becomes `grpc.status`.
 * @module
 */
import { isSecretHeader } from '../mapping-helpers.ts';
import type { SecretBook } from '../secret-book.ts';
import type { GatusKindMapper, Loose } from './gatus-endpoint-kinds.ts';
import { keepEnvRefs, secretValue } from './gatus-values.ts';

/** `scheme://host[:port][/]` → host and port (the default when absent), else undefined. */
export function hostPort(url: string, defaultPort?: number): { host: string; port: number } | undefined {
  const match = /^[a-z]+:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/i.exec(url);
  if (!match) return undefined;
  const port = match[2] ? Number(match[2]) : defaultPort;
  return port ? { host: match[1].replace(/^\[|\]$/g, ''), port } : undefined;
}

const client = (e: Loose) => (e.client ?? {}) as Loose;

/** Header values: the source's env references kept, literal credentials moved to new variables. */
export function mapHeaders(headers: unknown, secrets: SecretBook, hint: string): Record<string, string> | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  return Object.fromEntries(
    Object.entries(headers as Loose).map(([name, value]) => [name, isSecretHeader(name) ? secretValue(String(value), [hint, name], secrets) : keepEnvRefs(String(value), secrets)]),
  );
}

/** icmp://host: Gatus sends one echo request per run. */
export const mapIcmp: GatusKindMapper = (_e, url) => {
  const match = /^icmp:\/\/(\[[^\]]+\]|[^/:\s]+)\/?$/i.exec(url);
  if (!match) return { skip: `${url} needs a host (icmp://host)` };
  return { kind: 'icmp', config: { host: match[1].replace(/^\[|\]$/g, ''), count: 1 }, dropped: [] };
};

/**
 * Well-known UDP services whose request Upstate can send: Gatus only opens a UDP socket and
 * exchanges no datagram, which Upstate's udp check (a request and its reply) cannot mirror.
 */
const UDP_REQUESTS: Record<number, { send: { hex: string }; expect?: { hex: string }; what: string }> = {
  // DNS query, id 0x1234, recursion desired, one question: the root zone's NS records
  53: { send: { hex: '123401000001000000000000' + '00' + '0002' + '0001' }, expect: { hex: '1234' }, what: 'a DNS query for the root NS records, expecting an answer with its id' },
  // NTP client request (version 3, mode 3) with the rest of the 48 bytes zero
  123: { send: { hex: `1b${'00'.repeat(47)}` }, what: 'an NTP client request, expecting any reply' },
};

/** udp://host:port. */
export const mapUdp: GatusKindMapper = (_e, url) => {
  const target = hostPort(url);
  if (!target) return { skip: `${url} needs host:port` };
  const request = UDP_REQUESTS[target.port];
  if (!request) {
    return {
      skip: `Gatus's udp check only opens a socket and exchanges no datagram; Upstate's udp check sends a request and waits for its reply, which the import cannot guess for port ${target.port} (add \`udp: { host, port, send, expect }\` by hand)`,
    };
  }
  return {
    kind: 'udp',
    config: { ...target, send: request.send, ...(request.expect ? { expect: request.expect } : {}) },
    dropped: [`Gatus exchanged no datagram; Upstate sends ${request.what} (port ${target.port})`],
  };
};

/** ssh://host[:port] with `ssh: { username, password }` and a body `{"command": "…"}`. */
export const mapSsh: GatusKindMapper = (e, url, secrets) => {
  const target = hostPort(url, 22);
  if (!target) return { skip: `${url} needs a host (ssh://host[:port])` };
  const ssh = (e.ssh ?? {}) as Loose;
  const config: Record<string, unknown> = { ...target };
  const dropped: string[] = [];
  const name = String(e.name ?? 'ssh');
  const username = typeof ssh.username === 'string' && ssh.username ? ssh.username : undefined;
  const password = typeof ssh.password === 'string' && ssh.password ? ssh.password : undefined;
  const privateKey = typeof ssh['private-key'] === 'string' && ssh['private-key'] ? (ssh['private-key'] as string) : undefined;
  if (username && (password || privateKey)) {
    config.username = keepEnvRefs(username, secrets);
    if (password) config.password = secretValue(password, [name, 'password'], secrets);
    if (privateKey) config.privateKey = secretValue(privateKey, [name, 'private key'], secrets);
    if (typeof e.body === 'string' && e.body.trim()) {
      let command: unknown;
      try {
        command = (JSON.parse(e.body) as Loose).command;
      } catch {
        command = undefined;
      }
      if (typeof command === 'string' && command.trim()) config.command = keepEnvRefs(command, secrets);
      else dropped.push('body is not {"command": "…"}; no command is run');
    }
  } else if (username) {
    dropped.push(`ssh.username ${username} without a password or key: Upstate reads the server's identification only`);
  }
  return { kind: 'ssh', config, dropped };
};

/** starttls://host:port: Gatus speaks SMTP and upgrades with STARTTLS. */
export const mapStarttls: GatusKindMapper = (e, url) => {
  const target = hostPort(url, 25);
  if (!target) return { skip: `${url} needs host:port` };
  return { kind: 'starttls', config: { ...target, protocol: 'smtp', ...(client(e).insecure === true ? { verify: false } : {}) }, dropped: [] };
};

/** ws:// and wss://: the body is sent once open, and `[BODY]` is the first message back. */
export const mapWebsocket: GatusKindMapper = (e, url, secrets) => {
  if (!URL.canParse(url.replace(/\$\{?\w+\}?/g, 'x'))) return { skip: `${url} is not a WebSocket URL` };
  const config: Record<string, unknown> = { url: keepEnvRefs(url, secrets) };
  const headers = mapHeaders(e.headers, secrets, String(e.name ?? 'websocket'));
  if (headers && Object.keys(headers).length) config.headers = headers;
  if (typeof e.body === 'string' && e.body !== '') config.send = keepEnvRefs(e.body, secrets);
  if (client(e).insecure === true && /^wss:/i.test(url)) config.tls = { verify: false };
  return { kind: 'websocket', config, dropped: [] };
};

/** grpc:// and grpcs://: the standard health service (grpc.health.v1), TLS for grpcs. */
export const mapGrpc: GatusKindMapper = (e, url) => {
  const target = hostPort(url);
  if (!target) return { skip: `${url} needs host:port` };
  const config: Record<string, unknown> = { ...target };
  if (/^grpcs:/i.test(url)) config.tls = client(e).insecure === true ? { verify: false } : true;
  return { kind: 'grpc', config, dropped: [] };
};
