/**
 * Cold-start configuration of the Lambda functions: secrets first (SSM SecureString / Secrets
 * Manager values become environment variables for `${NAME}` references), then the config text —
 * from an SSM parameter when `UPSTATE_CONFIG_PARAMETER` names one, else from the file bundled
 * next to the handler (`UPSTATE_CONFIG_FILE`, default `upstate.yaml`) — validated by the same
 * `parseConfig` as every other mode.
 * @module
 */
import { isAbsolute, join } from 'node:path';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { loadConfig, parseConfig } from '../../config/load-config.ts';
import type { UpstateConfig } from '../../config/types.ts';
import type { ProbeRegistry } from '../../probes/registry.ts';
import { loadSecrets, parseSecretReferences, SecretLoadError, type SecretClients } from './secret-references.ts';

export type LambdaEnv = Record<string, string | undefined>;

export interface LambdaConfigOptions {
  env: LambdaEnv;
  /** Folder of the deployed bundle; relative config paths resolve against it. */
  bundleDir: string;
  clients: SecretClients;
  probes?: ProbeRegistry;
}

/** The bundled config file: `UPSTATE_CONFIG_FILE` (relative to the bundle) or `upstate.yaml`. */
function configFilePath(env: LambdaEnv, bundleDir: string): string {
  const file = env.UPSTATE_CONFIG_FILE || 'upstate.yaml';
  return isAbsolute(file) ? file : join(bundleDir, file);
}

/** Loads secrets, then the config. Throws `ConfigError` or `SecretLoadError` (start-up stops). */
export async function loadLambdaConfig(options: LambdaConfigOptions): Promise<UpstateConfig> {
  const { env, bundleDir, clients } = options;
  const secrets = await loadSecrets(parseSecretReferences(env.UPSTATE_SECRET_PARAMETERS), clients);
  // Loaded secrets win over same-named plain variables: the template never holds their values.
  const configEnv: LambdaEnv = { ...env, ...secrets };
  const parameter = env.UPSTATE_CONFIG_PARAMETER;
  if (!parameter) return loadConfig(configFilePath(env, bundleDir), { env: configEnv, probes: options.probes });

  let text: string | undefined;
  try {
    const out = await clients.ssm().send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    text = out.Parameter?.Value;
  } catch (cause) {
    throw new SecretLoadError(`cannot read the config from SSM parameter ${parameter}: ${(cause as Error).message}`, { cause });
  }
  if (text === undefined) throw new SecretLoadError(`SSM parameter ${parameter} holds no config`);
  // The file name only shows in error messages and anchors relative paths (page.templates) in the bundle.
  const shownName = `${parameter.split('/').filter(Boolean).pop() ?? 'config'}.yaml`;
  return parseConfig(text, join(bundleDir, shownName), { env: configEnv, probes: options.probes });
}
