/**
 * `upstate validate --config FILE`: exit 0 when the config is valid, else print every issue and
 * exit 2. Touches nothing else.
 * @module
 */
import { loadConfig } from '../../config/load-config.ts';
import type { CommandIo } from '../command-io.ts';

export async function validateCommand(options: { config: string }, io: CommandIo): Promise<number> {
  const config = await loadConfig(options.config);
  io.out(`${options.config}: OK — ${config.checks.length} check${config.checks.length === 1 ? '' : 's'}`);
  return 0;
}
