/**
 * The heartbeats port: the latest ping of each push check.
 * @module
 */

/** A received heartbeat ping (push check). */
export interface HeartbeatPing {
  check: string;
  at: number;
  ok: boolean;
  message?: string;
}

/** Latest heartbeat per check; an older ping arriving late never replaces a newer one. */
export interface HeartbeatsPort {
  recordHeartbeat(ping: HeartbeatPing): Promise<void>;
  readLastHeartbeat(check: string): Promise<HeartbeatPing | undefined>;
}
