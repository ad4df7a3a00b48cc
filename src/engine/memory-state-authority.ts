/**
 * The memory state authority: this process is the only writer of states (embedded mode,
 * `upstate check`). Each check's state and recent statuses live in memory — loaded from the
 * store at start when there is one, so confirmation survives restarts — and results are confirmed
 * as they come and published in batches (`createResultBatcher`), one store transaction per batch.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import type { Store } from '../storage/store.ts';
import type { Clock } from '../kernel/clock.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import { createResultBatcher } from '../pipeline/result-batcher.ts';
import { confirmResult, historyLength, regionOf, restaleStates } from '../pipeline/quorum.ts';
import type { StateAuthority } from './state-authority.ts';

export interface MemoryStateAuthorityDeps {
  bus: ResultBus;
  clock: Clock;
  /** Where states and recent results are loaded from at start; absent: start empty (`upstate check`). */
  seed?: { store: Pick<Store, 'readStates' | 'readRecentResults'>; checks: readonly Check[] };
}

/** The slice of a result confirmation keeps as history. */
type RecentEntry = Pick<CheckResult, 'status' | 'region'>;

const NO_HISTORY: readonly RecentEntry[] = Object.freeze([]);

export function createMemoryStateAuthority(deps: MemoryStateAuthorityDeps): StateAuthority {
  const { bus, clock } = deps;
  const states = new Map<string, CheckState>();
  const recent = new Map<string, RecentEntry[]>();
  const batcher = createResultBatcher({ bus, clock });

  function record(check: Check, result: CheckResult): void {
    const keep = historyLength(check);
    let state: CheckState;
    if (!keep) {
      // a check confirmed by its latest result alone (the default) keeps no history: an empty
      // array and a Map entry per check were ~78 bytes per check at 20,000 checks
      state = confirmResult(check, states.get(check.name), NO_HISTORY, result, clock.now());
      if (recent.size) recent.delete(check.name);
    } else {
      const history = recent.get(check.name) ?? [];
      state = confirmResult(check, states.get(check.name), history, result, clock.now());
      history.push({ status: result.status, region: regionOf(result) });
      if (history.length > keep) history.splice(0, history.length - keep);
      recent.set(check.name, history);
    }
    states.set(check.name, state);
    batcher.add(result, state);
  }

  return {
    async start() {
      if (!deps.seed) return;
      const { store, checks } = deps.seed;
      // keyed by the config's own name string: a key read from the store is a second copy of
      // every name for as long as the process runs (Map.set keeps the first key it was given)
      const names = new Map(checks.map((check) => [check.name, check.name]));
      for (const state of await store.readStates()) states.set(names.get(state.check) ?? state.check, state);
      await Promise.all(
        checks.map(async (check) => {
          const keep = historyLength(check);
          if (!keep) return;
          const rows = await store.readRecentResults(check.name, { limit: keep });
          recent.set(check.name, rows.reverse().map((row) => ({ status: row.status, region: row.region })));
        }),
      );
    },
    async commit(checks, results) {
      for (const [i, result] of results.entries()) record(checks[i], result);
    },
    flush: () => batcher.flush(),
    async sweepStale(checks, now) {
      const changed = restaleStates(checks, states, now);
      for (const state of changed) states.set(state.check, state);
      if (changed.length) await bus.publish({ results: [], states: changed });
    },
    stateOf: (name) => states.get(name),
    stop: () => batcher.close(),
  };
}
