/**
 * Exactly-once accounting: every check has one slot per interval at a phase derived from its
 * name (the scheduler's `phaseOf`), so for a window [from, to) the slots each check owes are
 * known without asking Upstate. Each stored result is attributed to the slot it follows; a slot
 * with two rows is a duplicate, a slot with none a gap.
 * @module
 */
import { phaseOf } from '../../src/scheduler/scheduler.ts';

/** How early a run may start and still count for its slot, ms. */
const EARLY_MS = 1_000;

export interface Ledger {
  /** Slots inside the window, over every check. */
  expected: number;
  /** Slots with at least one stored result. */
  delivered: number;
  /** Rows beyond the first in a slot. */
  duplicates: number;
  /** Slots without a stored result. */
  gaps: number;
  /** Up to five examples of each, `check@slot`. */
  duplicateExamples: string[];
  gapExamples: string[];
}

/** Rows are `{ name, at }` of stored results (any range covering the window); names are every configured check. */
export function slotLedger(names: readonly string[], rows: readonly { name: string; at: number }[], intervalMs: number, from: number, to: number): Ledger {
  const phases = new Map(names.map((name) => [name, phaseOf(name, intervalMs)]));
  const counts = new Map<string, number>();
  for (const row of rows) {
    const phase = phases.get(row.name);
    if (phase === undefined) continue;
    // a run may start a little before its slot (the in-process scheduler takes what is due within
    // a few ms in one wake-up): such a row belongs to the slot it precedes, not the previous one
    const slot = Math.floor((row.at + EARLY_MS - phase) / intervalMs) * intervalMs + phase;
    if (slot < from || slot >= to) continue;
    const key = `${row.name}@${slot}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const ledger: Ledger = { expected: 0, delivered: 0, duplicates: 0, gaps: 0, duplicateExamples: [], gapExamples: [] };
  for (const [name, phase] of phases) {
    // first slot at or after `from`
    let slot = Math.ceil((from - phase) / intervalMs) * intervalMs + phase;
    for (; slot < to; slot += intervalMs) {
      ledger.expected++;
      const n = counts.get(`${name}@${slot}`) ?? 0;
      if (n === 0) {
        ledger.gaps++;
        if (ledger.gapExamples.length < 5) ledger.gapExamples.push(`${name}@${new Date(slot).toISOString()}`);
        continue;
      }
      ledger.delivered++;
      if (n > 1) {
        ledger.duplicates += n - 1;
        if (ledger.duplicateExamples.length < 5) ledger.duplicateExamples.push(`${name}@${new Date(slot).toISOString()} ×${n}`);
      }
    }
  }
  return ledger;
}
