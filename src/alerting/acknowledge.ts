/**
 * Acknowledging an alert: someone is on it. An acknowledged alert sends no reminders until it
 * resolves (the resolve clears the acknowledgement, so the next firing pages again). Written
 * with the record's compare-and-set, so an evaluator holding an older version adopts it.
 * @module
 */
import type { AlertRecord } from '../domain/alert.ts';
import type { Store } from '../storage/store.ts';

export type AcknowledgeStore = Pick<Store, 'readAlerts' | 'applyAlertTransition'>;

export type AcknowledgeOutcome = { ok: true; record: AlertRecord } | { ok: false; reason: 'unknown' | 'not-firing' };

/** Acknowledges the alert `key` (in ALARM) as `by` at `now`; idempotent. */
export async function acknowledgeAlert(store: AcknowledgeStore, key: string, by: string, now: number): Promise<AcknowledgeOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = (await store.readAlerts()).find((record) => record.key === key);
    if (!current) return { ok: false, reason: 'unknown' };
    if (current.state !== 'ALARM') return { ok: false, reason: 'not-firing' };
    if (current.ackedAt !== undefined) return { ok: true, record: current };
    const record = { ...current, ackedAt: now, ackedBy: by, version: current.version + 1 };
    if (await store.applyAlertTransition({ record, fromVersion: current.version, notifications: [] })) return { ok: true, record };
    // an evaluation wrote it meanwhile: read again
  }
  throw new Error(`could not acknowledge ${key}: it keeps changing`);
}
