/**
 * Identity of one running instance in the shared schedule's leases and the live-update channel:
 * `hostname-pid-random`, readable in `schedule.lease_owner` and unique even when containers
 * share a hostname and a pid.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A fresh instance id, e.g. `web-3-4121-9f2c1a`. */
export function createInstanceId(host: string = hostname(), pid: number = process.pid): string {
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 63) || 'host';
  return `${safeHost}-${pid}-${randomBytes(3).toString('hex')}`;
}
