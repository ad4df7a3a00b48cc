/**
 * A store whose `readStates` hands back each state with `check` set to the config's own string
 * for that name. A state read from a store carries a new copy of its check's name; whoever keys a
 * long-lived Map by it (a Map keeps the first key it is given) holds that second copy of every
 * name for the life of the process (the alert evaluator did: 20,000 extra strings at 20,000
 * checks), and a state kept until its check runs again holds two (its own and its last
 * result's). States of checks the config does not have are handed back as read.
 * @module
 */
import type { StatesPort } from './ports/states-port.ts';
import { checkIndex } from '../domain/check-index.ts';

/** `store` with `readStates` answering in the names of `checks` (every other member as it is). */
export function withConfigNames<S extends StatesPort>(store: S, checks: readonly { name: string }[]): S {
  return {
    ...store,
    async readStates(wanted) {
      const states = await store.readStates(wanted);
      // a read of a few named checks (a cluster's per commit) is short-lived: as read
      if (wanted) return states;
      // the states are the caller's own (StatesPort.readStates): renamed in place, not copied,
      // so a read of 100,000 states at start-up makes no second object per state and result
      const positions = checkIndex(checks);
      for (const state of states) {
        const position = positions.get(state.check);
        if (position === undefined) continue;
        const name = checks[position].name;
        state.check = name;
        // the last result names its check too: until the check runs again, it is held as well
        if (state.lastResult) state.lastResult.check = name;
      }
      return states;
    },
  };
}
