/**
 * The check and group names the web routes validate input against (incident forms and API,
 * silences, the live event filter). One object per app, shared by every route, and each Set is
 * built on first use: five routes each holding their own Set of every check name were ~165 bytes
 * per check at 20,000 checks, whether or not anyone ever used them. Check names are looked up in
 * the config's shared check index (4 bytes per check) rather than a Set of their own (~37), since
 * the live event stream asks for every state of every batch.
 * @module
 */
import type { KnownNames } from '../alerting/silence-input.ts';
import { checkIndex } from '../domain/check-index.ts';

/** The part of a check the names come from. */
interface NamedCheck {
  name: string;
  group?: string;
}

/** Lazily built, shared name sets of `checks` (the app's config; a reload builds a new app). */
export function createKnownNames(checks: readonly NamedCheck[]): KnownNames {
  let groups: ReadonlySet<string> | undefined;
  return {
    get checks() {
      return checkIndex(checks);
    },
    get groups() {
      groups ??= new Set(checks.flatMap((check) => (check.group === undefined ? [] : [check.group])));
      return groups;
    },
  };
}
