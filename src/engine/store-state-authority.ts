/**
 * The store state authority: the stored state is the truth, because other writers exist —
 * other cluster instances, other Lambda containers, agents' results ingested elsewhere. Every
 * commit reads the stored states after the runs (not before: newer states may have been written
 * meanwhile), confirms on top of them and the stored recent results, and publishes one batch.
 * Commits and sweeps of this process run one at a time (commits arriving meanwhile wait as one), so neither overwrites the other with a
 * state it read before; across processes, the store merges each state with the stored one under
 * a lock (`ResultEvent.merge`), so two instances taking two regions' reports of one check at
 * once keep both.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { Store } from '../storage/store.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import { confirmResult, historyLength, mergeStates, regionOf, restaleStates } from '../pipeline/quorum.ts';
import type { StateAuthority } from './state-authority.ts';

/** The store methods confirmation against the store reads. */
type StateStore = Pick<Store, 'readStates' | 'readRecentResults'>;

export interface StoreStateAuthorityDeps {
  bus: ResultBus;
  store: StateStore;
  now(): number;
}

export function createStoreStateAuthority(deps: StoreStateAuthorityDeps): StateAuthority {
  const { bus, store } = deps;
  // the last state this process published per check, for stateOf(); the store has them all
  const published = new Map<string, CheckState>();
  let unsubscribe: (() => void) | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  /**
   * The commit waiting for its turn: commits that arrive while another is being written join it
   * (group commit), so a cluster instance committing each run as it ends makes one state read and
   * one store write per turn, not per run, and the batches grow with the load.
   */
  let waiting: PendingCommit | undefined;
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work);
    chain = run.catch(() => {});
    return run;
  };
  /**
   * The states were confirmed on a read another instance may have overtaken (it took another
   * region's report of the same check meanwhile): the store merges them under a lock.
   */
  const mergeFor = (checks: readonly Check[]) => {
    const byName = new Map(checks.map((check) => [check.name, check]));
    return (stored: CheckState | undefined, incoming: CheckState) => {
      const check = byName.get(incoming.check);
      return check ? mergeStates(check, stored, incoming, deps.now()) : incoming;
    };
  };
  // a commit reads its own checks' states only: the read follows the round, not the table
  const readStates = async (checks?: readonly Check[]) =>
    new Map((await store.readStates(checks && [...new Set(checks.map((check) => check.name))])).map((state) => [state.check, state]));

  return {
    async start() {
      unsubscribe ??= bus.subscribe((event) => {
        for (const state of event.states) published.set(state.check, state);
      });
    },
    commit(checks, results) {
      if (!results.length) return Promise.resolve();
      if (!waiting) {
        const batch: PendingCommit = { checks: [], results: [], done: Promise.resolve() };
        batch.done = exclusive(async () => {
          // from here on, new commits start the next batch
          waiting = undefined;
          const states = await confirmAgainstStore(store, batch.checks, await readStates(batch.checks), batch.results, deps.now());
          await bus.publish({ results: batch.results, states: lastPerCheck(states), merge: mergeFor(batch.checks) });
        });
        waiting = batch;
      }
      waiting.checks.push(...checks);
      waiting.results.push(...results);
      return waiting.done;
    },
    flush: () => exclusive(async () => {}),
    sweepStale(checks, now) {
      return exclusive(async () => {
        const changed = restaleStates(checks, await readStates(), now);
        if (changed.length) await bus.publish({ results: [], states: changed, merge: mergeFor(checks) });
      });
    },
    stateOf: (name) => published.get(name),
    async stop() {
      await exclusive(async () => {});
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

interface PendingCommit {
  checks: Check[];
  results: CheckResult[];
  done: Promise<void>;
}

/**
 * Confirms each result against the stored state (another instance or region may have written
 * it) and the check's stored recent results; returns the new states, in order. Results of one
 * check are applied in order, each seeing the state the previous one produced.
 */
async function confirmAgainstStore(
  store: StateStore,
  checks: readonly Check[],
  states: Map<string, CheckState>,
  results: readonly CheckResult[],
  now: number,
): Promise<CheckState[]> {
  const recentByCheck = new Map<string, Pick<CheckResult, 'status' | 'region'>[]>();
  const out: CheckState[] = [];
  for (const [i, result] of results.entries()) {
    const check = checks[i];
    let recent = recentByCheck.get(check.name);
    if (!recent) {
      recent = await recentResults(store, check);
      recentByCheck.set(check.name, recent);
    }
    const state = confirmResult(check, states.get(check.name), recent, result, now);
    states.set(check.name, state);
    recent.push({ status: result.status, region: regionOf(result) });
    out.push(state);
  }
  return out;
}

/** The stored results confirmation needs, oldest first (enough per region for multi-region checks). */
async function recentResults(store: StateStore, check: Check): Promise<Pick<CheckResult, 'status' | 'region'>[]> {
  const limit = historyLength(check);
  if (!limit) return [];
  const rows = await store.readRecentResults(check.name, { limit });
  return rows.reverse().map((row) => ({ status: row.status, region: row.region }));
}

/** One state per check (the last), as the store writer expects. */
function lastPerCheck(states: CheckState[]): CheckState[] {
  return [...new Map(states.map((state) => [state.check, state])).values()];
}
