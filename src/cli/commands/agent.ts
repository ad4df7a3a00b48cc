/**
 * `upstate agent --server URL --token TOKEN --region NAME [--buffer DIR]`: a remote probe agent.
 * Runs the checks the server assigns to its region and pushes the results back; with `--buffer`
 * results wait on disk while the server is unreachable (and across restarts). The token may also
 * come from `UPSTATE_AGENT_TOKEN`, which keeps it out of process listings.
 * SIGTERM/SIGINT stop probing, try to deliver what is buffered, and exit 0.
 * @module
 */
import { createLogger } from '../../runtime/node/logger.ts';
import { startAgent } from '../../modes/agent-mode.ts';
import { AGENT_NAME_PATTERN } from '../../agents/agent-token.ts';
import type { CommandIo } from '../command-io.ts';

export interface AgentCommandOptions {
  server?: string;
  token?: string;
  region?: string;
  buffer?: string;
  logLevel?: string;
}

export async function agentCommand(options: AgentCommandOptions, io: CommandIo): Promise<number> {
  const token = options.token ?? process.env.UPSTATE_AGENT_TOKEN;
  if (!options.server || !/^https?:\/\//.test(options.server)) {
    io.err('--server must be the Upstate server URL, e.g. https://status.example.com');
    return 2;
  }
  if (!token) {
    io.err('--token (or UPSTATE_AGENT_TOKEN) is required: create one with `upstate agents add <name> --region <region>`');
    return 2;
  }
  if (!options.region || !AGENT_NAME_PATTERN.test(options.region)) {
    io.err('--region must be a region name like eu-west');
    return 2;
  }
  const logger = createLogger(options.logLevel);
  const agent = await startAgent({ server: options.server, token, region: options.region, bufferDir: options.buffer, logger });
  logger.info({ server: options.server, region: options.region, buffer: options.buffer ?? 'memory' }, 'Upstate agent is running');
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping agent: delivering buffered results');
      await agent.stop().catch((error) => logger.error({ err: error }, 'error while stopping'));
      logger.info('stopped');
      resolve(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
