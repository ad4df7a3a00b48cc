/**
 * The check and group names the web routes validate input against (incident forms and API,
 * silences, the live event filter). One object per app, shared by every route, and each Set is
 * built on first use: five routes each holding their own Set of every check name were ~165 bytes
 * per check at 20,000 checks, whether or not anyone ever used them.
 * @module
 */
import type { KnownNames } from '../alerting/silence-input.ts';

/** The part of a check the names come from. */
interface NamedCheck {
  name: string;
  group?: string;
}

/** Lazily built, shared name sets of `checks` (the app's config; a reload builds a new app). */
export function createKnownNames(checks: readonly NamedCheck[]): KnownNames {
  let names: ReadonlySet<string> | undefined;
  let groups: ReadonlySet<string> | undefined;
  return {
    get checks() {
      names ??= new Set(checks.map((check) => check.name));
      return names;
    },
    get groups() {
      groups ??= new Set(checks.flatMap((check) => (check.group === undefined ? [] : [check.group])));
      return groups;
    },
  };
}
