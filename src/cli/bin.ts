#!/usr/bin/env node
/**
 * Executable entry of the `upstate` command.
 * @module
 */
import { applyHeapDefaults } from './heap-defaults.ts';
import { main } from './main.ts';

// before the config is loaded: a long-running server keeps its heap near the live set
if (process.argv[2] === 'serve') applyHeapDefaults(process.execArgv, process.env.NODE_OPTIONS);

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
