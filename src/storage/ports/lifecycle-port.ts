/**
 * Lifecycle of a store: every backend has it, whatever ports it implements.
 * @module
 */

/** Schema upgrade and shutdown, shared by every backend. */
export interface LifecyclePort {
  /** Creates or upgrades the schema; idempotent, safe to call from several processes. */
  migrate(): Promise<void>;
  /** Releases connections/handles. Pending writes are flushed first. */
  close(): Promise<void>;
}
