/**
 * Field-by-field mapping of Kuma's network service monitors: ping → `icmp`, smtp → `starttls`
 * (or `tcp` for plain SMTP), websocket-upgrade → `websocket`, grpc-keyword → `grpc` (health
 * service only), real-browser → `browser`. Common fields are mapped by import-kuma.ts.
 * @module
 */
import { conditionString, isHttpUrl, isSecretHeader } from '../mapping-helpers.ts';
import type { KumaKindMapper } from './map-kuma-monitor.ts';

/** Kuma's ping defaults: 56-byte packets, 1 echo (1.23 and 2.x), 2 s per reply (2.x). */
const KUMA_PACKET_SIZE = 56;

/** ping monitors. */
export const mapPing: KumaKindMapper = (m) => {
  if (!m.hostname) return { skip: 'ping monitor without a hostname' };
  const dropped: string[] = [];
  const count = Math.min(100, Math.max(1, Math.round(m.pingCount ?? 1)));
  if (m.packetSize !== undefined && m.packetSize !== KUMA_PACKET_SIZE) dropped.push(`packet size ${m.packetSize} bytes (Upstate's icmp check sends ping's default 56)`);
  if (m.pingPerRequestTimeout !== undefined && m.pingPerRequestTimeout !== 2) {
    dropped.push(`per-reply timeout ${m.pingPerRequestTimeout}s (Upstate bounds the whole ping by the check's timeout)`);
  }
  return { kind: 'icmp', config: { host: m.hostname, count }, dropped };
};

/** smtp monitors (Kuma 2.x): `secure` is SMTPS, `starttls` requires STARTTLS, `nostarttls` never upgrades. */
export const mapSmtp: KumaKindMapper = (m) => {
  if (!m.hostname) return { skip: 'SMTP monitor without a hostname' };
  const security = (m.smtpSecurity ?? '').toLowerCase();
  const port = m.port || 25;
  if (security === 'nostarttls') {
    return {
      kind: 'tcp',
      config: { host: m.hostname, port, expect: { regex: '^220[ -]' } },
      dropped: ["plain SMTP without TLS: Upstate checks the server's 220 greeting over TCP (Kuma also said EHLO)"],
    };
  }
  const dropped: string[] = [];
  if (security !== 'secure' && security !== 'starttls') dropped.push('Kuma upgraded with STARTTLS only when offered; Upstate requires the upgrade');
  return { kind: 'starttls', config: { host: m.hostname, port, protocol: security === 'secure' ? 'smtps' : 'smtp' }, dropped };
};

/** websocket-upgrade monitors (Kuma 2.x): the upgrade must succeed; Kuma then closes with 1000. */
export const mapWebsocketUpgrade: KumaKindMapper = (m) => {
  if (!m.url || !URL.canParse(m.url) || !/^wss?:$/.test(new URL(m.url).protocol)) return { skip: `URL ${JSON.stringify(m.url ?? '')} is not a ws:// or wss:// URL` };
  const config: Record<string, unknown> = { url: m.url };
  const dropped: string[] = [];
  const protocols = (m.wsSubprotocol ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (protocols.length) config.protocols = protocols;
  if (m.wsIgnoreSecWebsocketAcceptHeader) dropped.push('ignoring a wrong Sec-WebSocket-Accept header (Upstate always checks it)');
  const codes = m.acceptedStatuscodes.filter((c) => c !== '1000');
  if (codes.length) dropped.push(`accepted close codes ${m.acceptedStatuscodes.join(', ')} (Upstate passes once the socket is open)`);
  return { kind: 'websocket', config, dropped };
};

const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** grpc-keyword monitors calling the standard health service; other methods have no Upstate kind. */
export const mapGrpcKeyword: KumaKindMapper = (m, ctx) => {
  const target = /^(?:grpcs?:\/\/)?(\[[^\]]+\]|[^:/\s]+):(\d{1,5})\/?$/i.exec((m.grpcUrl ?? '').trim());
  if (!target) return { skip: `gRPC URL ${JSON.stringify(m.grpcUrl ?? '')} is not host:port` };
  const service = (m.grpcServiceName ?? '').trim();
  const method = (m.grpcMethod ?? '').trim();
  if (service !== HEALTH_SERVICE || !/^check$/i.test(method)) {
    return { skip: `calls ${service || '?'}/${method || '?'} and looks for a keyword in the reply; Upstate's grpc check asks only the standard health service (${HEALTH_SERVICE}/Check)` };
  }
  const config: Record<string, unknown> = { host: target[1].replace(/^\[|\]$/g, ''), port: Number(target[2]) };
  const dropped: string[] = [];
  const fieldComments: Record<string, string[]> = {};
  if (m.grpcBody) {
    try {
      const body = JSON.parse(m.grpcBody) as { service?: unknown };
      if (typeof body.service === 'string' && body.service) config.service = body.service;
    } catch {
      dropped.push('the request body is not JSON; the server as a whole is asked about');
    }
  }
  if (m.grpcEnableTls) config.tls = true;
  if (m.grpcMetadata) {
    try {
      const metadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(JSON.parse(m.grpcMetadata) as Record<string, unknown>)) {
        const name = key.toLowerCase();
        if (!/^[0-9a-z_.-]+$/.test(name)) {
          dropped.push(`metadata key ${JSON.stringify(key)} is not a valid gRPC metadata key`);
          continue;
        }
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        metadata[name] = isSecretHeader(name) ? ctx.secrets.ref([ctx.check, name], text) : text;
      }
      if (Object.keys(metadata).length) config.metadata = metadata;
    } catch {
      dropped.push('metadata is not a JSON object and was dropped');
    }
  }
  const conditions: string[] = [];
  const keyword = m.keyword ?? '';
  if (keyword === 'SERVING' && !m.invertKeyword) {
    fieldComments.grpc = ['Kuma looked for "SERVING" in the reply; Upstate\'s grpc check passes only on SERVING'];
  } else if (/^[A-Z_]+$/.test(keyword)) {
    conditions.push(`grpc.status ${m.invertKeyword ? '!contains' : 'contains'} ${conditionString(keyword)}`);
  } else if (keyword) {
    dropped.push(`keyword ${JSON.stringify(keyword)} is not a health status (Upstate passes only on SERVING)`);
  }
  return { kind: 'grpc', config, conditions, dropped, fieldComments };
};

/** real-browser monitors: open the URL; Kuma passes on statuses 200–399, as Upstate's default maxStatus 400 does. */
export const mapRealBrowser: KumaKindMapper = (m) => {
  if (!isHttpUrl(m.url)) return { skip: `URL ${JSON.stringify(m.url ?? '')} is not an absolute http(s) URL` };
  const dropped: string[] = [];
  if (m.remoteBrowser !== undefined) dropped.push(`remote browser #${m.remoteBrowser} (Upstate starts Chromium on its own host: browser.executablePath)`);
  return { kind: 'browser', config: { url: m.url }, dropped };
};
