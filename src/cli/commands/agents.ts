/**
 * `upstate agents add|revoke|list`: manages probe-agent tokens in the configured store
 * (`--store`/`--data`, as `serve` uses). `add` prints the new token once — only its hash is
 * stored — and replaces any earlier token of the same agent; `revoke` stops a token at once.
 * @module
 */
import { loadConfig } from '../../config/load-config.ts';
import { openStore, resolveStoreLocation } from '../../storage/open-store.ts';
import { AGENT_NAME_PATTERN, agentSubject, generateAgentToken, hashAgentToken, parseAgentSubject } from '../../agents/agent-token.ts';
import type { CommandIo } from '../command-io.ts';

export interface AgentsCommandOptions {
  action?: string;
  name?: string;
  region?: string;
  config: string;
  data: string;
  store?: string;
}

export async function agentsCommand(options: AgentsCommandOptions, io: CommandIo): Promise<number> {
  const { action, name } = options;
  if (action !== 'list' && (!name || !AGENT_NAME_PATTERN.test(name))) {
    io.err('usage: upstate agents add <name> --region <region> | revoke <name> | list   (names like probe-1)');
    return 2;
  }
  if (action === 'add' && (!options.region || !AGENT_NAME_PATTERN.test(options.region))) {
    io.err('--region must be a region name like eu-west');
    return 2;
  }
  if (action !== 'add' && action !== 'revoke' && action !== 'list') {
    io.err(`unknown agents action "${action ?? ''}": add, revoke or list`);
    return 2;
  }
  const config = await loadConfig(options.config);
  const store = await openStore(resolveStoreLocation(options));
  try {
    await store.migrate();
    const now = Date.now();
    const agents = (await store.listCredentials('agent')).flatMap((credential) => {
      const identity = parseAgentSubject(credential.subject);
      return identity ? [{ ...identity, credential }] : [];
    });
    const live = agents.filter((agent) => agent.name === name && agent.credential.revokedAt === undefined);

    if (action === 'list') {
      for (const agent of agents) {
        const state = agent.credential.revokedAt === undefined ? 'active' : `revoked ${new Date(agent.credential.revokedAt).toISOString()}`;
        io.out(`${agent.name}\t${agent.region}\tcreated ${new Date(agent.credential.createdAt).toISOString()}\t${state}`);
      }
      if (!agents.length) io.out('no agents');
      return 0;
    }
    if (action === 'revoke') {
      if (!live.length) {
        io.err(`no active agent named "${name}"`);
        return 1;
      }
      for (const agent of live) await store.revokeCredential('agent', agentSubject(agent), now);
      io.out(`revoked agent ${name}; its token no longer works`);
      return 0;
    }
    // add: one active token per agent name, so re-adding rotates it (and may move its region)
    for (const agent of live) await store.revokeCredential('agent', agentSubject(agent), now);
    const region = options.region!;
    const token = generateAgentToken();
    await store.saveCredential({ scope: 'agent', subject: agentSubject({ name: name!, region }), hash: hashAgentToken(token), createdAt: now });
    if (!config.checks.some((check) => check.regions.includes(region))) {
      io.err(`warning: no check in ${options.config} lists region "${region}" yet; the agent will idle until one does`);
    }
    io.out(`agent ${name} (region ${region}) added. Its token is shown once; store it now:\n\n  ${token}\n`);
    io.out(`run: upstate agent --server <this server's URL> --region ${region} --token ${token}`);
    return 0;
  } finally {
    await store.close();
  }
}
