/**
 * A store whose reads of every state (`readStates()` without names) are one read during a
 * process's start-up: the page's live invalidation, the alert evaluator and the memory state
 * authority each read every state when they start, and at 100,000 checks the evaluator's and the
 * authority's were two sets of state objects held side by side until each check ran again
 * (~20 MB), on top of each read's own garbage at the start-up's memory peak. Once the process has started (`settle`), every read goes to the store
 * again, so a later reader (a reloaded config's evaluator) sees what the store has then.
 *
 * The readers get the same state objects: they keep them and never change them (the config-name
 * renaming of `withConfigNames`, which the evaluator and the authority apply with the same
 * config, gives the same names).
 * @module
 */
import type { CheckState } from '../domain/status.ts';
import type { StatesPort } from './ports/states-port.ts';

export type StartUpStore<S> = S & {
  /** Start-up is over: later reads of every state go to the store. */
  settle(): void;
};

/** `store` with its start-up reads of every state shared (every other member as it is). */
export function withStartUpStates<S extends StatesPort>(store: S): StartUpStore<S> {
  let shared: Promise<CheckState[]> | undefined;
  let settled = false;
  return {
    ...store,
    readStates(wanted) {
      if (wanted || settled) return store.readStates(wanted);
      shared ??= store.readStates();
      // a new array each time (a reader may sort or filter it), of the same states
      return shared.then((states) => states.slice());
    },
    settle() {
      settled = true;
      shared = undefined;
    },
  };
}
