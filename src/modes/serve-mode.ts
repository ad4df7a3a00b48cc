/**
 * Which mode `upstate serve` runs in, and whether the store fits it. The mode is an explicit
 * setting — `--mode` on the command line, else the config's `mode:` key, else `embedded` — and
 * is never inferred from the store URL: a store that does not fit the mode is an error naming
 * both settings, before anything is opened.
 *
 * | mode     | store                                   |
 * |----------|-----------------------------------------|
 * | embedded | SQLite file (`--store FILE`, `--data`)  |
 * | cluster  | PostgreSQL (`--store postgres://…`)     |
 * @module
 */
import { basename } from 'node:path';
import type { RunMode } from '../config/types.ts';
import { RUN_MODES } from '../config/config-schema.ts';
import type { StoreLocation } from '../storage/open-store.ts';

export interface ServeModeInput {
  /** The `--mode` flag, as typed. */
  flag?: string;
  /** The config's `mode:` (default `embedded`) and its file. */
  config: { mode: RunMode; source: string };
  /** Where the store is, and whether `--store` was given (else the SQLite file under `--data`). */
  location: StoreLocation;
  storeGiven: boolean;
}

export type ServeMode = { ok: true; mode: RunMode } | { ok: false; error: string };

export function resolveServeMode(input: ServeModeInput): ServeMode {
  const { flag, location } = input;
  if (flag !== undefined && !(RUN_MODES as readonly string[]).includes(flag)) {
    return { ok: false, error: `--mode must be one of ${RUN_MODES.join(', ')} (got "${flag}")` };
  }
  const mode = (flag as RunMode | undefined) ?? input.config.mode;
  const file = basename(input.config.source);
  const setting = flag !== undefined ? 'from --mode' : mode === 'embedded' ? `the default, or \`mode:\` in ${file}` : `\`mode:\` in ${file}`;
  if (mode === 'cluster' && location.kind !== 'postgres') {
    const store = input.storeGiven ? `--store is a SQLite file path (${location.target})` : `no --store is given (SQLite file ${location.target})`;
    return { ok: false, error: `mode is cluster (${setting}) but ${store}; cluster mode needs a postgres:// URL: --store postgres://user:password@host:5432/db` };
  }
  if (mode === 'embedded' && location.kind === 'postgres') {
    return {
      ok: false,
      error:
        `mode is embedded (${setting}) but --store is a postgres:// URL; embedded mode keeps its data in a SQLite file. ` +
        'To run as a cluster instance on PostgreSQL, set `mode: cluster` in the config or pass --mode cluster.',
    };
  }
  return { ok: true, mode };
}
