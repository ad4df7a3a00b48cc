/**
 * Rollup items: one per check, resolution and bucket, merged with atomic `ADD` so concurrent
 * writers add up instead of overwriting each other. Min/max have no atomic operator, so they are
 * set with `if_not_exists` and, when the stored value loses, fixed with a conditional `SET` that
 * only moves them further out (safe under races too).
 * @module
 */
import { HISTOGRAM_SIZE } from '../../domain/histogram.ts';
import type { Resolution, Rollup } from '../../domain/rollup.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import { isConditionalFailure, type DynamoOps, type Item } from './table-client.ts';
import { partitions, rollupKey, timeKey } from './table-definition.ts';

/** Attribute names of a rollup item (short: every byte is paid on every update). */
const A = { count: 'n', ok: 'ok', sum: 'ls', min: 'lmin', max: 'lmax', c4: 'c4xx', c429: 'c429', c5: 'c5xx', degraded: 'dg', maintenance: 'mt' } as const;
const hist = (i: number) => `h${i}`;

/** Adds each rollup into its stored bucket. */
export async function mergeRollups(ops: DynamoOps, rollups: readonly Rollup[]): Promise<void> {
  await mapLimit(rollups, 8, (rollup) => mergeOne(ops, rollup));
}

async function mergeOne(ops: DynamoOps, r: Rollup): Promise<void> {
  const names: Record<string, string> = { '#n': A.count, '#ok': A.ok, '#ls': A.sum, '#c4': A.c4, '#c429': A.c429, '#c5': A.c5 };
  const values: Record<string, unknown> = { ':n': r.count, ':ok': r.ok, ':ls': r.latencySum, ':c4': r.http4xx, ':c429': r.http429, ':c5': r.http5xx };
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
  if (r.count > 0) {
    Object.assign(names, { '#min': A.min, '#max': A.max });
    Object.assign(values, { ':min': r.latencyMin, ':max': r.latencyMax });
    sets.push('#min = if_not_exists(#min, :min)', '#max = if_not_exists(#max, :max)');
  }
  const Key = { name: partitions.rollups(r.check), sk: rollupKey(r.resolution, r.start) };
  const stored = await ops.update({
    Key,
    UpdateExpression: `${sets.length ? `SET ${sets.join(', ')} ` : ''}ADD ${adds.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
  });
  if (r.count === 0 || !stored) return;
  if (Number(stored[A.min]) > r.latencyMin) await widen(ops, Key, A.min, '>', r.latencyMin);
  if (Number(stored[A.max]) < r.latencyMax) await widen(ops, Key, A.max, '<', r.latencyMax);
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
