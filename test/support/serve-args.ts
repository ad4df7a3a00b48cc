/**
 * Test support: whether a deploy file's `upstate serve` arguments pass the CLI's own mode/store
 * check (`resolveServeMode`), without opening a store — so a manifest cannot drift from the CLI.
 * @module
 */
import { parseArgs } from 'node:util';
import { resolveServeMode } from '../../src/modes/serve-mode.ts';
import { resolveStoreLocation } from '../../src/storage/open-store.ts';

/** Returns the CLI's error for these serve arguments (after `serve`), or undefined when they fit. */
export function serveArgsError(args: string[], configMode: 'embedded' | 'cluster' = 'embedded'): string | undefined {
  const { values } = parseArgs({
    args,
    strict: false,
    options: { mode: { type: 'string' }, store: { type: 'string' }, data: { type: 'string' }, config: { type: 'string' } },
  });
  const store = typeof values.store === 'string' ? values.store : undefined;
  const location = resolveStoreLocation({ store, data: typeof values.data === 'string' ? values.data : './data' });
  const result = resolveServeMode({
    flag: typeof values.mode === 'string' ? values.mode : undefined,
    config: { mode: configMode, source: String(values.config ?? 'upstate.yaml') },
    location,
    storeGiven: store !== undefined,
  });
  return result.ok ? undefined : result.error;
}
