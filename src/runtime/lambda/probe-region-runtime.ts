/**
 * What a probe-region checker opens once per container, from the function's environment:
 *
 * - `UPSTATE_PRIMARY_URL`: the primary stack's base URL (its `PageUrl` without `/` at the end, or
 *   the execute-api URL with `/Prod`); the agent API lives under `/api/v1/agent/`;
 * - `UPSTATE_PROBE_REGION`: the region name the primary's checks list (`regions: [local, eu-west]`);
 * - `UPSTATE_AGENT_TOKEN`: the agent token, normally loaded from SSM through
 *   `UPSTATE_SECRET_PARAMETERS` (`UPSTATE_AGENT_TOKEN=/upstate/agent-token`) and re-read every
 *   `UPSTATE_REFRESH_SECONDS`, so a token replaced on the primary reaches warm containers.
 * @module
 */
import { isHttpUrl } from '../../kernel/http-url.ts';
import type { Clock } from '../../kernel/clock.ts';
import { AGENT_NAME_PATTERN } from '../../agents/agent-token.ts';
import { createAgentClient } from '../../agents/agent-client.ts';
import { lazyAwsClient, loadSecrets, parseSecretReferences, type SecretClients } from './secret-references.ts';
import { createLambdaLogger, type LambdaLogger } from './lambda-logger.ts';
import { LambdaStartError, refreshPeriodMs } from './lambda-runtime.ts';
import type { LambdaEnv } from './load-lambda-config.ts';
import type { ProbeRegionRuntime } from './probe-region-checker.ts';

export interface ProbeRegionRuntimeOptions {
  env: LambdaEnv;
  clock: Pick<Clock, 'now'>;
  clients?: Partial<SecretClients>;
  logger?: LambdaLogger;
}

/** Validates the environment and reads the token. Throws `LambdaStartError` naming the variable. */
export async function openProbeRegionRuntime(options: ProbeRegionRuntimeOptions): Promise<ProbeRegionRuntime> {
  const { env, clock } = options;
  const logger = options.logger ?? createLambdaLogger(env.UPSTATE_LOG_LEVEL);
  const server = env.UPSTATE_PRIMARY_URL?.replace(/\/+$/, '');
  if (!isHttpUrl(server)) throw new LambdaStartError(`UPSTATE_PRIMARY_URL must be the primary's http(s) URL, got "${env.UPSTATE_PRIMARY_URL ?? ''}"`);
  const region = env.UPSTATE_PROBE_REGION ?? '';
  if (!AGENT_NAME_PATTERN.test(region)) throw new LambdaStartError(`UPSTATE_PROBE_REGION must be a region name like eu-west, got "${region}"`);
  const refreshMs = refreshPeriodMs(env.UPSTATE_REFRESH_SECONDS);
  const refs = parseSecretReferences(env.UPSTATE_SECRET_PARAMETERS);
  let ssm: ReturnType<SecretClients['ssm']> | undefined;
  let secretsManager: ReturnType<SecretClients['secretsManager']> | undefined;
  const clients: SecretClients = {
    ssm: () => (ssm ??= options.clients?.ssm?.() ?? lazyAwsClient(async () => new (await import('@aws-sdk/client-ssm')).SSMClient({}))),
    secretsManager: () =>
      (secretsManager ??= options.clients?.secretsManager?.() ?? lazyAwsClient(async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}))),
  };
  const readToken = async (): Promise<string> => {
    const token = { ...env, ...(await loadSecrets(refs, clients)) }.UPSTATE_AGENT_TOKEN;
    if (!token) throw new LambdaStartError('UPSTATE_AGENT_TOKEN is not set: name its SSM parameter in UPSTATE_SECRET_PARAMETERS (UPSTATE_AGENT_TOKEN=/upstate/agent-token)');
    return token;
  };
  let token = await readToken();
  let readAt = clock.now();
  let client = createAgentClient({ server, token, clock });
  return {
    region,
    logger,
    async client() {
      if (refs.length && clock.now() - readAt >= refreshMs) {
        readAt = clock.now();
        try {
          const next = await readToken();
          if (next !== token) {
            token = next;
            client = createAgentClient({ server, token, clock });
            logger.info({}, 'agent token changed: applied');
          }
        } catch (error) {
          logger.error({ err: error }, 'refreshing the agent token failed; keeping the current one');
        }
      }
      return client;
    },
  };
}
