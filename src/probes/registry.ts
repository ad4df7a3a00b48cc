/**
 * The probe registry: one line per kind. The config schema is derived from it, so a new kind is
 * a folder under probes/ plus one line here.
 * @module
 */
import type { Probe } from './probe.js';
import { httpProbe } from './http/http-probe.js';
import { tcpProbe } from './tcp/tcp-probe.js';
import { tlsProbe } from './tls/tls-probe.js';
import { dnsProbe } from './dns/dns-probe.js';
import { heartbeatProbe } from './heartbeat/heartbeat-probe.js';

export const probes = {
  http: httpProbe,
  tcp: tcpProbe,
  tls: tlsProbe,
  dns: dnsProbe,
  heartbeat: heartbeatProbe,
} satisfies Record<string, Probe<any>>;

export type ProbeKind = keyof typeof probes;
export type ProbeRegistry = Record<string, Probe<any>>;
