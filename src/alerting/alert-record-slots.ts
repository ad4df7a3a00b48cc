/**
 * The evaluator's alert records, one slot per (check, rule) pair of the config, compact at rest.
 *
 * A server with 100,000 checks has 100,000 alerts that are OK nearly all the time, so an OK record
 * with no history worth keeping (every verdict OK, not acknowledged, escalated, muted or routed)
 * is kept as numbers in typed arrays: version, since, lastNotifiedAt, okSince and the count of its
 * OK verdicts. It is rebuilt as an `AlertRecord` only while a rule is evaluated. Every other record
 * (ALARM, INSUFFICIENT_DATA, a breach in the window) is kept whole in a sparse Map by pair. Records
 * whose check or rule is not in the config (a check removed since) are kept by key.
 *
 * A pair with no record means "never evaluated here": the evaluator steps it as new, and the
 * store's compare-and-set (from version 0) refuses the write when another instance stored one.
 * @module
 */
import type { AlertRecord } from '../domain/alert.ts';
import type { AlertRule } from './rules/alert-rule.ts';
import { alertKey } from './rules/resolve-rules.ts';

const NONE = 0;
const COMPACT = 1;
const FULL = 2;
/** Longest run of OK verdicts kept compact (Uint16Array). */
const MAX_COMPACT_VERDICTS = 0xffff;

/** True when `record` (of the pair's own rule and check) can be kept as numbers without losing anything. */
function compactable(record: AlertRecord): boolean {
  return (
    record.state === 'OK' &&
    record.evaluations.length <= MAX_COMPACT_VERDICTS &&
    !record.evaluations.includes(true) &&
    record.breachingSince === undefined &&
    record.escalatedAt === undefined &&
    record.ackedAt === undefined &&
    record.ackedBy === undefined &&
    record.muted === undefined &&
    record.routedTo === undefined
  );
}

/** Alert records by (check, rule) pair; see the module comment. */
export class AlertRecordSlots {
  private readonly kind: Uint8Array;
  private readonly version: Float64Array;
  private readonly since: Float64Array;
  private readonly lastNotifiedAt: Float64Array;
  private readonly okSince: Float64Array;
  private readonly verdicts: Uint16Array;
  private readonly full = new Map<number, AlertRecord>();
  /** Records of checks or rules not in the config, by key. */
  private readonly others = new Map<string, AlertRecord>();

  constructor(pairs: number) {
    this.kind = new Uint8Array(pairs);
    this.version = new Float64Array(pairs);
    this.since = new Float64Array(pairs);
    this.lastNotifiedAt = new Float64Array(pairs);
    this.okSince = new Float64Array(pairs);
    this.verdicts = new Uint16Array(pairs);
  }

  /** The record of pair `pair` (rule `rule` on check `check`), rebuilt when compact. */
  get(pair: number, rule: AlertRule, check: string): AlertRecord | undefined {
    const kind = this.kind[pair];
    if (kind === FULL) return this.full.get(pair);
    if (kind === NONE) return undefined;
    const record: AlertRecord = {
      key: alertKey(rule, check),
      rule: rule.kind,
      check,
      state: 'OK',
      since: this.since[pair],
      evaluations: new Array<boolean>(this.verdicts[pair]).fill(false),
      version: this.version[pair],
    };
    if (!Number.isNaN(this.lastNotifiedAt[pair])) record.lastNotifiedAt = this.lastNotifiedAt[pair];
    if (!Number.isNaN(this.okSince[pair])) record.okSince = this.okSince[pair];
    return record;
  }

  /** The record's state without rebuilding it. */
  state(pair: number): AlertRecord['state'] | undefined {
    const kind = this.kind[pair];
    return kind === FULL ? this.full.get(pair)?.state : kind === COMPACT ? 'OK' : undefined;
  }

  /** Puts (or, with `undefined`, forgets) the record of a pair. */
  set(pair: number, record: AlertRecord | undefined): void {
    if (!record) {
      this.kind[pair] = NONE;
      this.full.delete(pair);
    } else if (compactable(record)) {
      this.kind[pair] = COMPACT;
      this.full.delete(pair);
      this.version[pair] = record.version;
      this.since[pair] = record.since;
      this.lastNotifiedAt[pair] = record.lastNotifiedAt ?? Number.NaN;
      this.okSince[pair] = record.okSince ?? Number.NaN;
      this.verdicts[pair] = record.evaluations.length;
    } else {
      this.kind[pair] = FULL;
      this.full.set(pair, record);
    }
  }

  /** A record whose check or rule is not in the config. */
  other(key: string): AlertRecord | undefined {
    return this.others.get(key);
  }

  setOther(record: AlertRecord): void {
    this.others.set(record.key, record);
  }

  /** Every record: the pairs' (rebuilt by `rebuild`) and the others. */
  all(rebuild: (pair: number) => AlertRecord | undefined): AlertRecord[] {
    const records: AlertRecord[] = [];
    for (let pair = 0; pair < this.kind.length; pair++) {
      if (this.kind[pair] === NONE) continue;
      const record = rebuild(pair);
      if (record) records.push(record);
    }
    records.push(...this.others.values());
    return records;
  }
}
