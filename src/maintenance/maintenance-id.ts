/**
 * Public ids of configured maintenance occurrences. They appear in URLs (`/incidents/:id`, the
 * Statuspage `shortlink`, feed links) and HTML ids, so they hold only `[a-z0-9-]`; they are
 * derived from the window's name and the occurrence's start alone, so every instance and every
 * restart names an occurrence the same way; and a hash of the exact name keeps two windows apart
 * whose names differ only in spaces, case or punctuation.
 * @module
 */
import { createHash } from 'node:crypto';

/** Longest readable part taken from the window name. */
const SLUG_LENGTH = 40;

/** `mw-<slug of name>-<8 hex of the name's SHA-1>-<start ms>`, e.g. `mw-nightly-patching-3f2a9c1d-1773543600000`. */
export function maintenanceId(name: string, start: number): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_LENGTH)
    .replace(/-+$/, '');
  const hash = createHash('sha1').update(name, 'utf8').digest('hex').slice(0, 8);
  return `mw-${slug ? `${slug}-` : ''}${hash}-${start}`;
}
