/**
 * The `ca` option shared by the http, tcp and tls probes: PEM text inline, or a path to a PEM
 * file (read at each run so a rotated CA file is picked up without a restart).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { ProbeFailure } from '../tcp/probe-failure.ts';

/** What inline PEM text contains (anything else is a file path). */
export const PEM_MARKER = '-----BEGIN CERTIFICATE-----';

/** One CA or a list; each inline PEM or a file path (ca-schema.ts validates it). */
export type CaOption = string | string[];

/** Resolves the option to PEM texts; an unreadable file becomes a `tls` failure, not a crash. */
export async function loadCa(option: CaOption | undefined): Promise<string[] | undefined> {
  if (option === undefined) return undefined;
  const entries = Array.isArray(option) ? option : [option];
  return Promise.all(
    entries.map(async (entry) => {
      if (entry.includes(PEM_MARKER)) return entry;
      try {
        return await readFile(entry, 'utf8');
      } catch (cause) {
        throw new ProbeFailure('tls', `cannot read the CA file ${entry}`, { cause });
      }
    }),
  );
}
