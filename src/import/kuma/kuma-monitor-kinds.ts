/**
 * The one table from Uptime Kuma monitor types to Upstate check kinds. When Upstate gains a kind
 * (icmp, grpc, postgres …), replace its `awaitingKind(…)` line with a mapper: one line here plus
 * the mapper function.
 * @module
 */
import { mapDns, mapHttp, mapPort, mapPush, type KumaKindMapper } from './map-kuma-monitor.ts';

/** A type Upstate will map once it has the named check kind. */
function awaitingKind(kind: string): KumaKindMapper {
  return () => ({ skip: `Upstate has no "${kind}" check kind yet` });
}

/** A type Upstate does not intend to probe, with the reason. */
function unsupported(reason: string): KumaKindMapper {
  return () => ({ skip: reason });
}

const kumaMonitorKinds = {
  http: mapHttp,
  keyword: mapHttp,
  'json-query': mapHttp,
  port: mapPort,
  dns: mapDns,
  push: mapPush,
  ping: awaitingKind('icmp'),
  'grpc-keyword': awaitingKind('grpc'),
  postgres: awaitingKind('postgres'),
  mysql: awaitingKind('mysql'),
  redis: awaitingKind('redis'),
  'websocket-upgrade': awaitingKind('websocket'),
  smtp: awaitingKind('starttls'),
  docker: unsupported('reads container state from a Docker daemon; Upstate probes network endpoints'),
  'real-browser': unsupported('drives a real browser; Upstate has no browser check'),
  steam: unsupported('Steam game-server query protocol is not supported'),
  gamedig: unsupported('game-server query protocols are not supported'),
  mqtt: unsupported('MQTT is not supported'),
  'kafka-producer': unsupported('Kafka is not supported'),
  sqlserver: unsupported('SQL Server is not supported'),
  mongodb: unsupported('MongoDB is not supported'),
  radius: unsupported('RADIUS is not supported'),
  'tailscale-ping': unsupported('Tailscale ping is not supported'),
  snmp: unsupported('SNMP is not supported'),
  rabbitmq: unsupported('RabbitMQ management checks are not supported'),
  manual: unsupported('manual monitors have no probe; set status with incidents instead'),
  globalping: unsupported('Globalping probes are not supported'),
} satisfies Record<string, KumaKindMapper>;

/** The mapper for a Kuma type, or a skip naming the unknown type. */
export function kumaKindMapper(type: string): KumaKindMapper {
  return (kumaMonitorKinds as Record<string, KumaKindMapper>)[type] ?? unsupported(`unknown Kuma monitor type "${type}"`);
}
