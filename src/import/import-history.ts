/**
 * Writes imported history into an Upstate store through the ordinary `Store.recordResults`
 * (which also merges hourly and daily rollups), then applies retention so only the raw tail
 * stays and older history lives on as rollups — the same shape live checking produces.
 *
 * Idempotent without a ledger: for each check, only results newer than the newest result the
 * store already holds are written, so a second run (or a run after `serve` has started checking)
 * never counts a result twice. Import history before Upstate starts checking the same names.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { RetentionPolicy, Store } from '../storage/store.ts';

/** Results per `recordResults` call: large enough to be fast, small enough to bound memory. */
const BATCH = 5_000;

export interface HistorySeries {
  /** Upstate check name the results belong to. */
  check: string;
  /** Results oldest first. */
  results: CheckResult[];
}

export interface HistoryImportResult {
  /** Results written, per check. */
  written: Record<string, number>;
  /** Results skipped because the store already had them (at or before its newest result), per check. */
  alreadyPresent: Record<string, number>;
}

/** Records each series' new results with the state they lead to, then applies retention at `now`. */
export async function importHistory(
  store: Pick<Store, 'readRecentResults' | 'readStates' | 'recordResults' | 'applyRetention'>,
  series: readonly HistorySeries[],
  options: { now: number; retention: RetentionPolicy },
): Promise<HistoryImportResult> {
  const written: Record<string, number> = {};
  const alreadyPresent: Record<string, number> = {};
  const states = new Map((await store.readStates()).map((s) => [s.check, s]));
  for (const { check, results } of series) {
    // the stored state remembers the last result after retention has removed the raw rows
    const newestRaw = (await store.readRecentResults(check, { limit: 1 }))[0]?.at ?? Number.NEGATIVE_INFINITY;
    const newest = Math.max(newestRaw, states.get(check)?.lastResult?.at ?? Number.NEGATIVE_INFINITY);
    const fresh = results.filter((r) => r.at > newest && r.at <= options.now);
    alreadyPresent[check] = results.length - fresh.length;
    written[check] = fresh.length;
    let state = states.get(check);
    for (let i = 0; i < fresh.length; i += BATCH) {
      const chunk = fresh.slice(i, i + BATCH);
      state = advanceState(state, check, chunk);
      await store.recordResults({ results: chunk, states: [state] });
    }
  }
  await store.applyRetention(options.now, options.retention);
  return { written, alreadyPresent };
}

/**
 * The state after `results`: the source already applied its own confirmation (retries), so each
 * result's status is taken as confirmed; `since` is when the current run of that status began.
 */
function advanceState(previous: CheckState | undefined, check: string, results: readonly CheckResult[]): CheckState {
  let state: CheckState = previous ?? { check, status: 'unknown', since: results[0].at, streak: 0 };
  for (const result of results) {
    const status = result.status === 'degraded' ? 'up' : result.status;
    const current = state.status === 'degraded' ? 'up' : state.status;
    state = {
      ...state,
      status: status === current ? state.status : result.status,
      since: status === current ? state.since : result.at,
      lastResult: result,
      streak: 0,
      lastFailure: result.failure ? { ...result.failure, at: result.at } : state.lastFailure,
    };
  }
  return state;
}
