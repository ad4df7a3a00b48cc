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
 * The rollups are held per check in the shape the model builder reads (`CheckHistory`: typed
 * arrays sized to the history that exists, at most the model's windows), so a render looks each
 * check up instead of regrouping every rollup; what the builder derives from a check's history
 * (uptime, the 90-day bar, latency series) is kept on it until that check gets a result or the
 * hour changes. `view` answers `loadStatusModel` with states and histories from memory and
 * incidents from the store.
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
import { rollupsOf } from '../domain/rollup.ts';
import type { Store } from '../storage/store.ts';
import { modelReadWindows } from './build-status-model.ts';
import { CheckHistory, historiesOf } from './check-history.ts';
import type { HistorySource } from './load-status-model.ts';
import { checkIndex } from '../domain/check-index.ts';

type FactsStore = Pick<Store, 'readStates' | 'readRollups' | 'listIncidents'>;

export interface LiveStatusFacts {
  /** Reads states and the model's rollups from the store: once, on first use (again after a failure). */
  load(): Promise<void>;
  /** Whether `load` has been asked for (from then on every batch is folded in). */
  readonly loading: boolean;
  /** Folds one page-bus batch in, after the start-up read (a relayed batch is re-read from the store). */
  apply(event: ResultEvent): Promise<void>;
  /** States and per-check histories from memory, incidents from the store (for `loadStatusModel`). */
  readonly view: HistorySource;
}

/** What is held per configured check: its rollups, and the newest result counted per region. */
interface CheckFacts {
  history?: CheckHistory;
  /** Newest counted result of a single-region check (region ''), or of each region. */
  counted: number | Map<string, number>;
}

/**
 * `checks`: the config's checks. Facts and states of configured checks are kept in arrays by the
 * check's position (the check index the alert evaluator and the state authority share), not in
 * Maps keyed by name (~37 bytes per check each at 100,000 checks); states of checks not in the
 * config (removed since) are kept by name.
 */
export function createLiveStatusFacts(deps: { store: FactsStore; checks: readonly { name: string }[]; now: () => number }): LiveStatusFacts {
  const { store } = deps;
  const positions = checkIndex(deps.checks);
  // a configured check's facts are made with its first counted result or read history; until then
  // its slot is null, so an app whose page was never rendered holds nothing per check but the slot
  const facts: (CheckFacts | null)[] = deps.checks.map(() => null);
  const states: (CheckState | undefined)[] = deps.checks.map(() => undefined);
  const otherStates = new Map<string, CheckState>();
  let loaded: Promise<void> | undefined;

  /** The facts of a configured check (null: none made yet); undefined for a check not configured. */
  function heldFacts(name: string): CheckFacts | null | undefined {
    const position = positions.get(name);
    return position === undefined ? undefined : facts[position];
  }

  /** The facts of a configured check (made on first use); undefined for a check not configured. */
  function factsOf(name: string): CheckFacts | undefined {
    const position = positions.get(name);
    if (position === undefined) return undefined;
    const held = facts[position];
    if (held !== null) return held;
    const made: CheckFacts = { counted: Number.NEGATIVE_INFINITY };
    facts[position] = made;
    return made;
  }

  function setState(state: CheckState): void {
    const position = positions.get(state.check);
    if (position === undefined) otherStates.set(state.check, state);
    else states[position] = state;
  }

  function allStates(): CheckState[] {
    const all: CheckState[] = [];
    for (const state of states) if (state) all.push(state);
    all.push(...otherStates.values());
    return all;
  }

  /** Newest result of `check` counted in `region` (-∞ when none). */
  function countedOf(held: CheckFacts, region: string | undefined): number {
    const { counted } = held;
    if (typeof counted === 'number') return region ? Number.NEGATIVE_INFINITY : counted;
    return counted.get(region ?? '') ?? Number.NEGATIVE_INFINITY;
  }

  function setCounted(held: CheckFacts, region: string | undefined, at: number): void {
    if (at <= countedOf(held, region)) return;
    // most checks run in one region: a number, not a Map per check
    if (!region && typeof held.counted === 'number') held.counted = at;
    else {
      if (typeof held.counted === 'number') held.counted = new Map(held.counted === Number.NEGATIVE_INFINITY ? [] : [['', held.counted]]);
      held.counted.set(region ?? '', at);
    }
  }

  function noteCounted(state: CheckState): void {
    const held = factsOf(state.check);
    if (!held) return;
    if (state.lastResult) setCounted(held, state.lastResult.region, state.lastResult.at);
    for (const [region, r] of Object.entries(state.regions ?? {})) setCounted(held, region, r.at);
  }

  /** Replaces the histories of `names` with the store's, within the model's windows at `now`. */
  async function readChecks(names: readonly string[], now: number): Promise<void> {
    const windows = modelReadWindows(now);
    const [hour, day] = await Promise.all([store.readRollups(names, 'hour', ...windows.hour), store.readRollups(names, 'day', ...windows.day)]);
    const read = historiesOf([hour, day]);
    for (const name of names) {
      const history = read.get(name);
      const held = history ? factsOf(name) : heldFacts(name);
      if (held) held.history = history;
    }
  }

  function fold(results: readonly CheckResult[]): void {
    // compared with what was counted before this batch: a batch's own results may come in any order
    const fresh = results.filter((r) => {
      const held = factsOf(r.check);
      return held !== undefined && r.at > countedOf(held, r.region);
    });
    for (const r of fresh) setCounted(factsOf(r.check) as CheckFacts, r.region, r.at);
    // the store writer's own partial rollups, merged as it merges them: the same sums in the same order
    for (const partial of rollupsOf(fresh)) {
      const held = factsOf(partial.check) as CheckFacts;
      held.history ??= new CheckHistory();
      held.history.add(partial);
    }
  }

  function load(): Promise<void> {
    loaded ??= (async () => {
      const [stored] = await Promise.all([store.readStates(), readChecks(deps.checks.map((check) => check.name), deps.now())]);
      for (const state of stored) setState(state);
      for (const state of stored) noteCounted(state);
    })();
    // a failed read is tried again by the next load
    loaded.catch(() => (loaded = undefined));
    return loaded;
  }

  return {
    load,
    get loading() {
      return loaded !== undefined;
    },
    async apply(event) {
      // before the first read nothing is held: that read will find the batch in the store. A
      // batch that arrives while it runs waits for it; those it caught are skipped by `counted`.
      if (!loaded) return;
      await loaded;
      if (event.relayed) {
        const names = event.states.map((s) => s.check).filter((name) => positions.has(name));
        for (const state of event.states) setState(state);
        for (const state of event.states) noteCounted(state);
        if (names.length) await readChecks(names, deps.now());
        return;
      }
      fold(event.results);
      for (const state of event.states) setState(state);
    },
    view: {
      readStates: async () => allStates(),
      history: (check) => heldFacts(check)?.history,
      listIncidents: (options) => store.listIncidents(options),
    },
  };
}
