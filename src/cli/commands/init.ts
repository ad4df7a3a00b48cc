/**
 * `upstate init [--out upstate.yaml] [--port 3000] [--force]`: writes a commented starter config.
 * It parses its own arguments so the command table in main.ts needs only one line for it.
 * An existing file is never replaced without `--force`: a config is hand-edited and hard to redo.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { starterConfig } from '../starter-config.ts';
import type { CommandIo } from '../command-io.ts';

const USAGE = 'Usage: upstate init [--out upstate.yaml] [--port 3000] [--force]';

/** Runs `upstate init` with the arguments after `init`; returns the exit code. */
export async function initCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', short: 'o', default: 'upstate.yaml' },
        port: { type: 'string', short: 'p', default: '3000' },
        force: { type: 'boolean', short: 'f', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    io.err(`--port must be a port number (got ${values.port})\n${USAGE}`);
    return 2;
  }
  const out = values.out!;
  try {
    // 'wx' fails atomically when the file exists, so no check-then-write race
    await writeFile(out, starterConfig(port), { flag: values.force ? 'w' : 'wx', mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err(`${out} already exists; not overwriting it (use --force to replace it)`);
      return 2;
    }
    throw error;
  }
  io.out(`wrote ${out} — check it with \`upstate validate --config ${out}\`, run it with \`upstate serve --config ${out} --port ${port}\``);
  return 0;
}
