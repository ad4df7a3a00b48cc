#!/usr/bin/env node
/**
 * Executable entry of the `upstate` command.
 * @module
 */
import { startWithHeapDefaults } from './heap-defaults.ts';

// a long-running server keeps its heap near the live set; this may start the process again with
// the start-up heap flags, so it runs before the commands are loaded (imported below, not above)
if (process.argv[2] === 'serve') startWithHeapDefaults(process);
const { main } = await import('./main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // serve resolves only after a clean shutdown; other commands end here
    if (code !== 0 || process.argv[2] !== 'serve') setImmediate(() => process.exit(code));
    else process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
