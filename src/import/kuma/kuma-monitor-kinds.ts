/**
 * The one table from Uptime Kuma monitor types to Upstate check kinds: one line per type, the
 * mappers in map-kuma-monitor.ts (HTTP, port, DNS, push), map-kuma-services.ts and
 * map-kuma-database.ts.
 * @module
 */
import { mapMysql, mapPostgres, mapRedis } from './map-kuma-database.ts';
import { mapDns, mapHttp, mapPort, mapPush, type KumaKindMapper } from './map-kuma-monitor.ts';
import { mapGrpcKeyword, mapPing, mapRealBrowser, mapSmtp, mapWebsocketUpgrade } from './map-kuma-services.ts';

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
  ping: mapPing,
  'grpc-keyword': mapGrpcKeyword,
  postgres: mapPostgres,
  mysql: mapMysql,
  redis: mapRedis,
  'websocket-upgrade': mapWebsocketUpgrade,
  smtp: mapSmtp,
  'real-browser': mapRealBrowser,
  docker: unsupported('reads container state from a Docker daemon; Upstate probes network endpoints'),
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
