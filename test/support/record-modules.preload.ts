/**
 * Test support, loaded with `node --import ./test/support/record-modules.preload.ts …`: records
 * every module URL the process resolves (ESM imports and CommonJS requires alike, through
 * `module.registerHooks`) and, at exit, writes them one per line to the file named by
 * `UPSTATE_RECORD_MODULES`. The start-up test and the benchmark use it to see which
 * dependencies a command really loads.
 * @module
 */
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const target = process.env.UPSTATE_RECORD_MODULES;
if (!target) throw new Error('record-modules.preload.ts needs UPSTATE_RECORD_MODULES=<output file>');

const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    seen.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(target, [...seen].join('\n') + '\n'));
