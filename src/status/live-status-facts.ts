/**
 * The status facts a long-running server's page needs — every check's state and the hour and day
 * rollups of the model's windows — kept in memory and updated per result, so rendering a page
 * reads no store. They are read from the store once, when a page first needs them (until then
 * nothing is held: that read finds every batch so far in the store). Each result batch on the
 * page bus then replaces the states it carries and folds its results into the rollups with the
 * store writer's own code (`rollupsOf` + `mergeRollup`); buckets that leave the model's windows
 * are dropped as time passes. A batch relayed from another cluster instance carries only states,
 * so its checks are re-read from the store instead.
 *
 * `view` is the same read port the store offers (`readStates`, `readRollups`, `listIncidents`),
 * so `loadStatusModel` builds the model from memory unchanged; a rollup read older than what was
 * loaded (and incidents) go to the store.
 *
 * A result is counted once per (check, region): one at or before the newest already counted for
 * them — by the state first read, or an earlier batch — is taken as already stored (a batch the
 * first read caught, or a resent one). The store would count a result that arrives later than a
 * newer one from the same region; memory does not, until the next start.
 * @module
 */
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { CheckResult } from '../domain/result.ts';
import type { CheckState } from '../domain/status.ts';
import { mergeRollup, rollupsOf, type Resolution, type Rollup } from '../domain/rollup.ts';
import type { Store } from '../storage/store.ts';
import { modelReadWindows } from './build-status-model.ts';

type FactsStore = Pick<Store, 'readStates' | 'readRollups' | 'listIncidents'>;

export interface LiveStatusFacts {
  /** Reads states and the model's rollups from the store: once, on first use (again after a failure). */
  load(): Promise<void>;
  /** Folds one page-bus batch in, after the start-up read (a relayed batch is re-read from the store). */
  apply(event: ResultEvent): Promise<void>;
  /** The store's read port, answered from memory. */
  readonly view: FactsStore;
}

/** Key of the newest counted result of a check in one region (single-region checks: ''). */
const regionKey = (check: string, region: string | undefined) => `${check}\u0000${region ?? ''}`;

export function createLiveStatusFacts(deps: { store: FactsStore; checks: readonly string[]; now: () => number }): LiveStatusFacts {
  const { store } = deps;
  const wanted = new Set(deps.checks);
  const states = new Map<string, CheckState>();
  /** Per resolution, per check, per bucket start. */
  const buckets: Record<Resolution, Map<string, Map<number, Rollup>>> = { hour: new Map(), day: new Map() };
  /** Oldest bucket start held per resolution (reads before it go to the store). */
  const heldFrom: Record<Resolution, number> = { hour: Number.POSITIVE_INFINITY, day: Number.POSITIVE_INFINITY };
  const newest = new Map<string, number>();
  let loaded: Promise<void> | undefined;

  function noteCounted(state: CheckState): void {
    const seen = (key: string, at: number) => newest.set(key, Math.max(newest.get(key) ?? Number.NEGATIVE_INFINITY, at));
    if (state.lastResult) seen(regionKey(state.check, state.lastResult.region), state.lastResult.at);
    for (const [region, r] of Object.entries(state.regions ?? {})) seen(regionKey(state.check, region), r.at);
  }

  /** Replaces the rollups of `names` with the store's, within the model's windows at `now`. */
  async function readChecks(names: readonly string[], now: number): Promise<void> {
    const windows = modelReadWindows(now);
    const [hour, day] = await Promise.all([store.readRollups(names, 'hour', ...windows.hour), store.readRollups(names, 'day', ...windows.day)]);
    for (const [resolution, rollups] of [['hour', hour], ['day', day]] as const) {
      heldFrom[resolution] = Math.min(heldFrom[resolution], windows[resolution][0]);
      for (const name of names) buckets[resolution].set(name, new Map());
      for (const r of rollups) buckets[resolution].get(r.check)?.set(r.start, r);
    }
  }

  function fold(results: readonly CheckResult[]): void {
    // compared with what was counted before this batch: a batch's own results may come in any order
    const fresh = results.filter((r) => wanted.has(r.check) && r.at > (newest.get(regionKey(r.check, r.region)) ?? Number.NEGATIVE_INFINITY));
    for (const r of fresh) {
      const key = regionKey(r.check, r.region);
      newest.set(key, Math.max(newest.get(key) ?? Number.NEGATIVE_INFINITY, r.at));
    }
    for (const partial of rollupsOf(fresh)) {
      const perCheck = buckets[partial.resolution].get(partial.check) ?? new Map<number, Rollup>();
      buckets[partial.resolution].set(partial.check, perCheck);
      const held = perCheck.get(partial.start);
      perCheck.set(partial.start, held ? mergeRollup(held, partial) : partial);
    }
  }

  /** Drops buckets before `from` (the window moved on). */
  function prune(resolution: Resolution, from: number): void {
    if (from <= heldFrom[resolution]) return;
    for (const perCheck of buckets[resolution].values()) for (const start of perCheck.keys()) if (start < from) perCheck.delete(start);
    heldFrom[resolution] = from;
  }

  function load(): Promise<void> {
    loaded ??= (async () => {
      const [stored] = await Promise.all([store.readStates(), readChecks([...wanted], deps.now())]);
      for (const state of stored) states.set(state.check, state);
        for (const state of stored) noteCounted(state);
    })();
    // a failed read is tried again by the next load
    loaded.catch(() => (loaded = undefined));
    return loaded;
  }

  return {
    load,
    async apply(event) {
      // before the first read nothing is held: that read will find the batch in the store. A
      // batch that arrives while it runs waits for it; those it caught are skipped by `newest`.
      if (!loaded) return;
      await loaded;
      if (event.relayed) {
        const names = event.states.map((s) => s.check).filter((name) => wanted.has(name));
        for (const state of event.states) states.set(state.check, state);
        for (const state of event.states) noteCounted(state);
        if (names.length) await readChecks(names, deps.now());
        return;
      }
      fold(event.results);
      for (const state of event.states) states.set(state.check, state);
    },
    view: {
      readStates: async () => [...states.values()],
      async readRollups(names, resolution, from, to) {
        if (from < heldFrom[resolution]) return store.readRollups(names, resolution, from, to);
        prune(resolution, from);
        const out: Rollup[] = [];
        // grouped by check (the caller's order), not sorted across checks as the store returns
        // them: the model looks rollups up by check and start, and sorting ~170,000 of them at
        // 1,000 checks would cost more than building the model
        for (const name of new Set(names)) {
          const perCheck = buckets[resolution].get(name);
          if (!perCheck) continue;
          for (const r of perCheck.values()) if (r.start >= from && r.start < to) out.push(r);
        }
        return out;
      },
      listIncidents: (options) => store.listIncidents(options),
    },
  };
}
