/**
 * Rollup items: one per check, resolution and bucket, merged with atomic `ADD` so concurrent
 * writers add up instead of overwriting each other. Min/max have no atomic operator, so they are
 * set with `if_not_exists` and, when the stored value loses, fixed with a conditional `SET` that
 * only moves them further out (safe under races too).
 *
 * `ADD` alone is not idempotent: a batch written twice (a replay, or an update whose reply was
 * lost and which the SDK retried) would count twice. So the same update marks each result it
 * counts with a tiny attribute on the item (`r<offset in bucket, base 36>[@region]`) and is
 * conditional on none of them being there yet: a result is counted at most once, however the
 * batches that carry it are cut. When the condition fails, the item is read, the results already
 * marked are dropped and the rest retried. Markers are pruned once they are more than
 * `MARKER_WINDOW_MS` older than the newest one of their region in the item, which bounds the item's size; a replay
 * older than that is no longer recognised.
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import { HISTOGRAM_SIZE } from '../../domain/histogram.ts';
import { bucketStart, rollupsOf, type Resolution, type Rollup } from '../../domain/rollup.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import { DynamoStoreError, isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { partitions, rollupKey, timeKey } from './table-definition.ts';

/** Attribute names of a rollup item (short: every byte is paid on every update). */
const A = { count: 'n', ok: 'ok', sum: 'ls', min: 'lmin', max: 'lmax', c4: 'c4xx', c429: 'c429', c5: 'c5xx', degraded: 'dg', maintenance: 'mt' } as const;
const hist = (i: number) => `h${i}`;

/** How far behind the newest marked result a marker is still kept (a replay window). */
const MARKER_WINDOW_MS = 15 * 60_000;
/** Stale markers are removed once this many have piled up: one extra write per this many results. */
const PRUNE_AT = 20;
/** Results per update: keeps the condition and update expressions well under DynamoDB's 4 KB. */
const CHUNK = 40;
/** Rounds of "condition failed → drop the marked results → retry" before giving up. */
const MAX_ROUNDS = 5;

/** One bucket's share of a batch. */
interface Unit {
  check: string;
  resolution: Resolution;
  start: number;
  results: CheckResult[];
}

/** The marker of a result in the bucket starting at `start`. */
function markerName(result: CheckResult, start: number): string {
  return `r${(result.at - start).toString(36)}${result.region === undefined ? '' : `@${result.region}`}`;
}

/** The offset in its bucket and the region a marker stands for, or undefined for another attribute. */
function parseMarker(name: string): { offset: number; region: string } | undefined {
  if (!name.startsWith('r')) return undefined;
  const at = name.indexOf('@');
  const offset = Number.parseInt(at < 0 ? name.slice(1) : name.slice(1, at), 36);
  return Number.isFinite(offset) ? { offset, region: at < 0 ? '' : name.slice(at + 1) } : undefined;
}

/** Adds the batch's results into their hourly and daily buckets, each result at most once. */
export async function mergeResults(ops: DynamoOps, results: readonly CheckResult[]): Promise<void> {
  const groups = new Map<string, Unit>();
  for (const result of results) {
    for (const resolution of ['hour', 'day'] as const) {
      const start = bucketStart(result.at, resolution);
      const key = `${result.check}\u0000${resolution}\u0000${start}`;
      let unit = groups.get(key);
      if (!unit) groups.set(key, (unit = { check: result.check, resolution, start, results: [] }));
      unit.results.push(result);
    }
  }
  const units: Unit[] = [];
  for (const unit of groups.values()) {
    // one marker per result: the same result twice in a batch is one result
    const unique = [...new Map(unit.results.map((r) => [markerName(r, unit.start), r])).values()];
    for (let i = 0; i < unique.length; i += CHUNK) units.push({ ...unit, results: unique.slice(i, i + CHUNK) });
  }
  await mapLimit(units, 8, (unit) => mergeUnit(ops, unit));
}

async function mergeUnit(ops: DynamoOps, unit: Unit): Promise<void> {
  const Key = { name: partitions.rollups(unit.check), sk: rollupKey(unit.resolution, unit.start) };
  let pending = unit.results;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (pending.length === 0) return;
    const rollup = rollupsOf(pending).find((r) => r.resolution === unit.resolution)!;
    const markers = pending.map((r) => markerName(r, unit.start));
    try {
      const stored = await addOnce(ops, Key, rollup, markers);
      if (stored) await tidy(ops, Key, rollup, stored);
      return;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    // some of these results are already counted (a replay, or our own update retried after a lost reply)
    const item = (await ops.get(Key)) ?? {};
    pending = pending.filter((_, i) => item[markers[i]] === undefined);
  }
  throw new DynamoStoreError(`rollup ${Key.name} ${Key.sk}: still conflicting after ${MAX_ROUNDS} rounds`);
}

/** One conditional update: adds the rollup and sets the markers, unless any marker exists. */
async function addOnce(ops: DynamoOps, Key: Item, r: Rollup, markers: readonly string[]): Promise<Item | undefined> {
  const names: Record<string, string> = { '#n': A.count, '#ok': A.ok, '#ls': A.sum, '#c4': A.c4, '#c429': A.c429, '#c5': A.c5 };
  const values: Record<string, unknown> = { ':n': r.count, ':ok': r.ok, ':ls': r.latencySum, ':c4': r.http4xx, ':c429': r.http429, ':c5': r.http5xx, ':m': 1 };
  const adds = ['#n :n', '#ok :ok', '#ls :ls', '#c4 :c4', '#c429 :c429', '#c5 :c5'];
  // absent attributes read as 0 (older items, and buckets with none): keeps items small
  for (const [key, value] of [['dg', r.degraded], ['mt', r.maintenance]] as const) {
    if (value === 0) continue;
    names[`#${key}`] = key;
    values[`:${key}`] = value;
    adds.push(`#${key} :${key}`);
  }
  r.histogram.forEach((count, i) => {
    if (count === 0) return; // absent buckets read as 0: keeps items small
    names[`#h${i}`] = hist(i);
    values[`:h${i}`] = count;
    adds.push(`#h${i} :h${i}`);
  });
  const sets: string[] = [];
  const conditions: string[] = [];
  markers.forEach((marker, i) => {
    names[`#m${i}`] = marker;
    sets.push(`#m${i} = :m`);
    conditions.push(`attribute_not_exists(#m${i})`);
  });
  if (r.count > 0) {
    Object.assign(names, { '#min': A.min, '#max': A.max });
    Object.assign(values, { ':min': r.latencyMin, ':max': r.latencyMax });
    sets.push('#min = if_not_exists(#min, :min)', '#max = if_not_exists(#max, :max)');
  }
  return ops.update({
    Key,
    UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
  });
}

/** After a counted update: widens min/max the stored item lost, and prunes stale markers. */
async function tidy(ops: DynamoOps, Key: Item, r: Rollup, stored: Item): Promise<void> {
  if (r.count > 0 && Number(stored[A.min]) > r.latencyMin) await widen(ops, Key, A.min, '>', r.latencyMin);
  if (r.count > 0 && Number(stored[A.max]) < r.latencyMax) await widen(ops, Key, A.max, '<', r.latencyMax);
  // the window is per region, so a region reporting late (an agent replaying its buffer) keeps its markers
  const markers = Object.keys(stored).flatMap((name) => {
    const marker = parseMarker(name);
    return marker ? [{ name, ...marker }] : [];
  });
  const newest = new Map<string, number>();
  for (const m of markers) newest.set(m.region, Math.max(newest.get(m.region) ?? 0, m.offset));
  const stale = markers.filter((m) => m.offset < newest.get(m.region)! - MARKER_WINDOW_MS).map((m) => m.name);
  if (stale.length < PRUNE_AT) return;
  const names = Object.fromEntries(stale.map((name, i) => [`#s${i}`, name]));
  await ops.update({ Key, UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`, ExpressionAttributeNames: names });
}

/** Sets `attribute` to `value` only while the stored value is still on the wrong side of it. */
async function widen(ops: DynamoOps, Key: Item, attribute: string, op: '<' | '>', value: number): Promise<void> {
  try {
    await ops.update({
      Key,
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: `#a ${op} :v`,
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': value },
    });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error; // a concurrent writer widened it further
  }
}

/** Rollups of one check with `from <= start < to`, oldest first. */
export async function readCheckRollups(ops: DynamoOps, check: string, resolution: Resolution, from: number, to: number): Promise<Rollup[]> {
  if (to <= from || to <= 0) return [];
  const items = await ops.query({
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#pk': 'name', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': partitions.rollups(check), ':lo': rollupKey(resolution, from), ':hi': rollupKey(resolution, to - 1) },
  });
  return items.map((item) => toRollup(check, resolution, item));
}

function toRollup(check: string, resolution: Resolution, item: Item): Rollup {
  const num = (name: string) => Number(item[name] ?? 0);
  const start = Number(String(item.sk).slice(resolution.length + 1));
  return {
    check,
    resolution,
    start,
    count: num(A.count),
    ok: num(A.ok),
    latencySum: num(A.sum),
    latencyMin: item[A.min] === undefined ? Number.POSITIVE_INFINITY : num(A.min),
    latencyMax: num(A.max),
    histogram: Array.from({ length: HISTOGRAM_SIZE }, (_, i) => num(hist(i))),
    http4xx: num(A.c4),
    http429: num(A.c429),
    http5xx: num(A.c5),
    degraded: num(A.degraded),
    maintenance: num(A.maintenance),
  };
}

/** Deletes the check's buckets of `resolution` that start before `cutoff`; returns how many. */
export async function deleteRollupsBefore(ops: DynamoOps, check: string, resolution: Resolution, cutoff: number): Promise<number> {
  if (cutoff <= 0) return 0;
  const items = await ops.query({
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#pk': 'name', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': partitions.rollups(check), ':lo': `${resolution}#`, ':hi': `${resolution}#${timeKey(cutoff - 1)}` },
    ProjectionExpression: '#pk, #sk',
  });
  await ops.batchWrite(items.map((item) => ({ delete: item })));
  return items.length;
}
