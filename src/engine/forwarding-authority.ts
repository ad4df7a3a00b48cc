/**
 * The authority of a remote probe agent: it confirms nothing — confirmation and quorum happen on
 * the server, which owns the states — and hands each result on as it was seen (to the agent's
 * on-disk buffer and sender). It has no `sweepStale`: stale regions are the server's business, so an
 * agent's engine keeps no sweep timer.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import type { StateAuthority } from './state-authority.ts';

export function createForwardingAuthority(forward: (results: readonly CheckResult[]) => void): StateAuthority {
  return {
    start: async () => {},
    async commit(_checks, results) {
      if (results.length) forward(results);
    },
    flush: async () => {},
    stateOf: () => undefined,
    stop: async () => {},
  };
}
