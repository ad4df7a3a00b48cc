/**
 * `upstate import` run in-process for the importer tests, and the env file it writes read back.
 * @module
 */
import { readFileSync } from 'node:fs';
import { importCommand } from '../../../src/cli/commands/import.ts';

/** Runs `upstate import <args>`; the exit code and what it printed to stdout and stderr. */
export async function runImport(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await importCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The `NAME='value'` lines `--env-out` writes, with the shell quoting undone. */
export function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [, name, value] = /^(\w+)='(.*)'$/.exec(line)!;
        return [name, value.replace(/'\\''/g, "'")];
      }),
  );
}
