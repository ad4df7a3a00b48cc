/**
 * Which checks an extra page (`pages:`) shows. Apart from page-config.ts (the schemas) so that
 * serving pages never loads the config schemas.
 * @module
 */
import type { Check } from '../domain/check.ts';
import type { ExtraPageConfig } from './page-config.ts';

/** The checks a page shows: those named or in a named group; all when it names neither. */
export function pageChecks<C extends Pick<Check, 'name' | 'group'>>(page: Pick<ExtraPageConfig, 'groups' | 'checks'>, checks: readonly C[]): C[] {
  if (!page.groups && !page.checks) return [...checks];
  return checks.filter((c) => page.checks?.includes(c.name) || (c.group !== undefined && page.groups?.includes(c.group)));
}
