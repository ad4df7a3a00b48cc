/**
 * What a result batch does to the response cache. A batch that changes what a visitor sees about
 * status — a check's confirmed status, or one of its regions' — drops the outputs it touches at
 * once; a batch that only adds results to checks whose status is unchanged marks them stale but
 * servable for `page.liveRefreshSeconds` (see response-cache.ts). Either way only the outputs
 * about the batch's checks and those showing every check are touched (`staleAfterResults`).
 * @module
 */
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { CheckState } from '../domain/status.ts';
import { componentId } from '../status/component-id.ts';
import { checkIndex, type CheckIndex } from '../domain/check-index.ts';
import { staleAfterResults, type ResponseCache } from './response-cache.ts';

/** The part of a state a visitor sees as "status": confirmed status plus each region's. */
function statusKey(state: CheckState): string {
  if (!state.regions) return state.status;
  const regions = Object.entries(state.regions)
    .map(([region, r]) => `${region}=${r.status}`)
    .sort();
  return `${state.status};${regions.join(',')}`;
}

export interface LiveInvalidation {
  /** Applies one batch to the cache; true when it changed a status (a check's or a region's). */
  onBatch(event: ResultEvent): boolean;
  /** The statuses shown before any batch arrived (states read from the store at start). */
  seed(states: readonly CheckState[]): void;
}

/**
 * `checks`: the config's checks. The last status shown of each is kept by its position in the
 * config (the check index the alert evaluator shares), so no Map keyed by name per check; a
 * state of a check not in the config (removed since, or no `checks` given) is kept by name.
 */
export function createLiveInvalidation(
  cache: Pick<ResponseCache, 'invalidate' | 'markStale'>,
  checks: readonly { name: string }[] = [],
): LiveInvalidation {
  // made on the first states: a page without live results keeps nothing per check
  let positions: CheckIndex | undefined;
  /** Last status key per check, by position; a check with none counts as changed (nothing is known yet). */
  let shown: (string | undefined)[] = [];
  /** The same for checks not in the config, by name. */
  const shownOthers = new Map<string, string>();
  const positionOf = (name: string): number | undefined => {
    if (!positions) {
      positions = checkIndex(checks);
      shown = checks.map(() => undefined);
    }
    return positions.get(name);
  };
  const shownOf = (name: string): string | undefined => {
    const position = positionOf(name);
    return position === undefined ? shownOthers.get(name) : shown[position];
  };
  const setShown = (name: string, key: string): void => {
    const position = positionOf(name);
    if (position === undefined) shownOthers.set(name, key);
    else shown[position] = key;
  };
  /**
   * One string per distinct status key: a status parsed from the store is a new string per state
   * (~20 bytes each). Bounded by the statuses and region combinations the checks can have.
   */
  const keys = new Map<string, string>();
  const intern = (key: string) => {
    const known = keys.get(key);
    if (known !== undefined) return known;
    keys.set(key, key);
    return key;
  };
  return {
    seed(states) {
      for (const state of states) {
        if (shownOf(state.check) === undefined) setShown(state.check, intern(statusKey(state)));
      }
    },
    onBatch(event) {
      const changed = new Set<string>();
      for (const state of event.states) {
        const key = statusKey(state);
        if (shownOf(state.check) === key) continue;
        changed.add(componentId(state.check));
        setShown(state.check, intern(key));
      }
      const touched = new Set<string>(changed);
      for (const r of event.results) touched.add(componentId(r.check));
      if (changed.size) cache.invalidate(staleAfterResults(changed));
      if (touched.size > changed.size) cache.markStale(staleAfterResults(touched));
      return changed.size > 0;
    },
  };
}
