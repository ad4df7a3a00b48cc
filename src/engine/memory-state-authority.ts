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
import { checkIndex } from '../domain/check-index.ts';

export interface MemoryStateAuthorityDeps {
  bus: ResultBus;
  clock: Clock;
  /** Where states and recent results are loaded from at start; absent: start empty (`upstate check`). */
  seed?: { store: Pick<Store, 'readStates' | 'readRecentResults'>; checks: readonly Check[] };
}

/** The slice of a result confirmation keeps as history. */
type RecentEntry = Pick<CheckResult, 'status' | 'region'>;

const NO_HISTORY: readonly RecentEntry[] = Object.freeze([]);
const NO_CHECKS: readonly Check[] = Object.freeze([]);

export function createMemoryStateAuthority(deps: MemoryStateAuthorityDeps): StateAuthority {
  const { bus, clock } = deps;
  // states by the seed checks' position in the config (the check index the alert evaluator and the
  // page share): a slot per check instead of a Map entry; a check not among them (added by a
  // reload, or no seed) is kept by name
  const positions = checkIndex(deps.seed?.checks ?? NO_CHECKS);
  const states: (CheckState | undefined)[] = (deps.seed?.checks ?? NO_CHECKS).map(() => undefined);
  const otherStates = new Map<string, CheckState>();
  const stateOf = (name: string): CheckState | undefined => {
    const position = positions.get(name);
    return position === undefined ? otherStates.get(name) : states[position];
  };
  const setState = (name: string, state: CheckState): void => {
    const position = positions.get(name);
    if (position === undefined) otherStates.set(name, state);
    else states[position] = state;
  };
  const recent = new Map<string, RecentEntry[]>();
  const batcher = createResultBatcher({ bus, clock });

  function record(check: Check, result: CheckResult): void {
    const keep = historyLength(check);
    let state: CheckState;
    if (!keep) {
      // a check confirmed by its latest result alone (the default) keeps no history: an empty
      // array and a Map entry per check were ~78 bytes per check at 20,000 checks
      state = confirmResult(check, stateOf(check.name), NO_HISTORY, result, clock.now());
      if (recent.size) recent.delete(check.name);
    } else {
      const history = recent.get(check.name) ?? [];
      state = confirmResult(check, stateOf(check.name), history, result, clock.now());
      history.push({ status: result.status, region: regionOf(result) });
      if (history.length > keep) history.splice(0, history.length - keep);
      recent.set(check.name, history);
    }
    setState(check.name, state);
    batcher.add(result, state);
  }

  return {
    async start() {
      if (!deps.seed) return;
      const { store, checks } = deps.seed;
      for (const state of await store.readStates()) setState(state.check, state);
      // only checks whose confirmation looks back: a promise per check was 100,000 at once at start-up
      await Promise.all(
        checks.flatMap((check) => {
          const keep = historyLength(check);
          return keep > 0 ? [{ check, keep }] : [];
        }).map(async ({ check, keep }) => {
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
      const changed = restaleStates(checks, { get: stateOf }, now);
      for (const state of changed) setState(state.check, state);
      if (changed.length) await bus.publish({ results: [], states: changed });
    },
    stateOf,
    stop: () => batcher.close(),
  };
}
