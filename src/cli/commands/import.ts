/**
 * `upstate import <uptime-kuma|gatus> <source> …` — see src/import/run-import.ts and docs/import.md.
 * It parses its own options, so main.ts only dispatches to it.
 * @module
 */
export { runImport as importCommand, IMPORT_USAGE } from '../../import/run-import.ts';
