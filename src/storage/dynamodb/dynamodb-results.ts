/**
 * Results and rollups on DynamoDB (the batch's states are saved last, through the store's
 * `StateItems`, see dynamodb-states.ts).
 * Every page-path read is a Query on a known partition: `results#<check>` for raw results,
 * `rollups#<check>` per check.
 * @module
 */
import type { CheckResult } from '../../domain/result.ts';
import type { ResultsPort } from '../ports/results-port.ts';
import { mapLimit } from '../../kernel/map-limit.ts';
import type { DynamoOps, Item } from './table-client.ts';
import { deleteRollupsBefore, mergeResults, readCheckRollups } from './rollup-items.ts';
import type { StateItems } from './dynamodb-states.ts';
import { partitions, resultKey, timeKey, TTL_ATTRIBUTE } from './table-definition.ts';

export interface ResultsOptions {
  /** When set, raw results carry a TTL of `at + rawRetentionMs` so DynamoDB deletes them for free. */
  rawRetentionMs?: number;
  /** Clock for hiding TTL-expired items that DynamoDB has not deleted yet. */
  now: () => number;
}

const KEYS = { '#pk': 'name', '#sk': 'sk' };

/** The results port on DynamoDB. */
export function createDynamoResults(ops: DynamoOps, stateItems: StateItems, options: ResultsOptions): ResultsPort {
  /** Checks this instance already put into the `checks` index (saves a write per batch). */
  const indexed = new Set<string>();

  const rawItem = (result: CheckResult): Item => {
    const item: Item = { name: partitions.results(result.check), sk: resultKey(result.at, result.region), d: JSON.stringify(result) };
    if (options.rawRetentionMs !== undefined) item[TTL_ATTRIBUTE] = Math.ceil((result.at + options.rawRetentionMs) / 1000);
    return item;
  };
  /** TTL deletion lags by up to days: an expired item must not be shown meanwhile. */
  const live = (item: Item) => item[TTL_ATTRIBUTE] === undefined || Number(item[TTL_ATTRIBUTE]) * 1000 > options.now();
  const parse = (item: Item) => JSON.parse(String(item.d)) as CheckResult;

  return {
    async recordResults(batch) {
      const { results, states } = batch;
      // Order matters without transactions: raw facts first, then aggregates, then the states
      // the page shows, so a crash mid-way never shows a state whose results are missing.
      const fresh = [...new Set(results.map((r) => r.check))].filter((check) => !indexed.has(check));
      await ops.batchWrite([
        ...results.map((result) => ({ put: rawItem(result) })),
        ...fresh.map((check) => ({ put: { name: partitions.checks, sk: check } })),
      ]);
      fresh.forEach((check) => indexed.add(check));
      // each result counted once per bucket, so a replayed batch or a retried update cannot double-count
      await mergeResults(ops, results);
      const written = await mapLimit(states, 8, (state) => stateItems.save(state, batch.merge));
      if (batch.merge) written.forEach((state, i) => (states[i] = state));
    },

    async readRecentResults(check, { limit, before }) {
      if (limit <= 0) return [];
      const items = await ops.query(
        {
          KeyConditionExpression: before === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: before === undefined ? { '#pk': 'name' } : KEYS,
          ExpressionAttributeValues: { ':pk': partitions.results(check), ...(before === undefined ? {} : { ':before': timeKey(before) }) },
          ScanIndexForward: false,
          Limit: limit,
        },
        limit,
      );
      return items.slice(0, limit).filter(live).map(parse);
    },

    async readResults(check, from, to) {
      if (to <= from) return [];
      const items = await ops.query({
        // `<at>#<region>` sorts after `<to>` when at == to, so BETWEEN keeps `to` exclusive.
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
        ExpressionAttributeNames: KEYS,
        ExpressionAttributeValues: { ':pk': partitions.results(check), ':lo': timeKey(from), ':hi': timeKey(to) },
      });
      return items.filter(live).map(parse);
    },

    async readRollups(checks, resolution, from, to) {
      const perCheck = await mapLimit([...new Set(checks)], 16, (check) => readCheckRollups(ops, check, resolution, from, to));
      return perCheck.flat().sort((a, b) => a.start - b.start || a.check.localeCompare(b.check));
    },

    async applyRetention(now, policy) {
      const checks = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: KEYS,
        ExpressionAttributeValues: { ':pk': partitions.checks },
        ProjectionExpression: '#sk',
      });
      const reports = await mapLimit(checks, 4, async (item) => {
        const check = String(item.sk);
        const raw = await ops.query({
          KeyConditionExpression: '#pk = :pk AND #sk < :cutoff',
          ExpressionAttributeNames: KEYS,
          ExpressionAttributeValues: { ':pk': partitions.results(check), ':cutoff': timeKey(now - policy.rawMs) },
          ProjectionExpression: '#pk, #sk',
        });
        await ops.batchWrite(raw.map((key) => ({ delete: key })));
        return {
          rawDeleted: raw.length,
          hourlyDeleted: await deleteRollupsBefore(ops, check, 'hour', now - policy.hourlyMs),
          dailyDeleted: await deleteRollupsBefore(ops, check, 'day', now - policy.dailyMs),
        };
      });
      return reports.reduce(
        (sum, r) => ({ rawDeleted: sum.rawDeleted + r.rawDeleted, hourlyDeleted: sum.hourlyDeleted + r.hourlyDeleted, dailyDeleted: sum.dailyDeleted + r.dailyDeleted }),
        { rawDeleted: 0, hourlyDeleted: 0, dailyDeleted: 0 },
      );
    },
  };
}
