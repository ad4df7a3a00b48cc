/**
 * Fan-out of the serverless checker: the schedule's EventBridge rule may invoke the checker
 * several times per tick, each with `{"shard": {"index": i, "count": n}}` as its input, and each
 * invocation runs only the checks whose name hashes to its index. Each shard claims from its own
 * schedule partition, so a check belongs to exactly one shard and is never run by two.
 * @module
 */

/** One shard of `count`. */
export interface CheckerShard {
  index: number;
  count: number;
  /** `<index>of<count>`: names the shard's schedule partition. */
  key: string;
}

/** Most shards: an EventBridge rule has at most 5 targets. */
export const MAX_SHARDS = 5;

/** Refused shard input (a misconfigured rule target): the invocation fails loudly. */
export class ShardInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardInputError';
  }
}

/** The shard an event asks for; undefined when it names none or a single shard (no split). */
export function shardOf(event: unknown): CheckerShard | undefined {
  const shard = (event as { shard?: unknown } | null | undefined)?.shard;
  if (shard === undefined) return undefined;
  const { index, count } = (shard ?? {}) as { index?: unknown; count?: unknown };
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_SHARDS || !Number.isInteger(index) || (index as number) < 0 || (index as number) >= (count as number)) {
    throw new ShardInputError(`event.shard must be {"index": 0…count-1, "count": 1…${MAX_SHARDS}}, got ${JSON.stringify(shard)}`);
  }
  if (count === 1) return undefined;
  return { index: index as number, count: count as number, key: `${index}of${count}` };
}

/** True when `check` belongs to `shard` (FNV-1a of the name, so every invocation agrees). */
export function inShard(check: string, shard: CheckerShard | undefined): boolean {
  if (!shard) return true;
  let hash = 0x811c9dc5;
  for (let i = 0; i < check.length; i++) {
    hash ^= check.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shard.count === shard.index;
}
