/**
 * The probe registry: one line per kind. The config schema is derived from it, so a new kind is
 * a folder under probes/ plus one line here.
 * @module
 */
import type { Probe } from './probe.ts';
import { httpProbe } from './http/http-probe.ts';
import { tcpProbe } from './tcp/tcp-probe.ts';
import { tlsProbe } from './tls/tls-probe.ts';
import { dnsProbe } from './dns/dns-probe.ts';
import { heartbeatProbe } from './heartbeat/heartbeat-probe.ts';
import { icmpProbe } from './icmp/icmp-probe.ts';
import { udpProbe } from './udp/udp-probe.ts';
import { sshProbe } from './ssh/ssh-probe.ts';
import { starttlsProbe } from './starttls/starttls-probe.ts';
import { websocketProbe } from './websocket/websocket-probe.ts';
import { grpcProbe } from './grpc/grpc-probe.ts';
import { postgresProbe } from './postgres/postgres-probe.ts';
import { mysqlProbe } from './mysql/mysql-probe.ts';
import { redisProbe } from './redis/redis-probe.ts';
import { stepsProbe } from './steps/steps-probe.ts';
import { browserProbe } from './browser/browser-probe.ts';

export const probes = {
  http: httpProbe,
  tcp: tcpProbe,
  tls: tlsProbe,
  dns: dnsProbe,
  heartbeat: heartbeatProbe,
  icmp: icmpProbe,
  udp: udpProbe,
  ssh: sshProbe,
  starttls: starttlsProbe,
  websocket: websocketProbe,
  grpc: grpcProbe,
  postgres: postgresProbe,
  mysql: mysqlProbe,
  redis: redisProbe,
  steps: stepsProbe,
  browser: browserProbe,
} satisfies Record<string, Probe<any>>;

export type ProbeRegistry = Record<string, Probe<any>>;
