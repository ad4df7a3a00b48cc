/**
 * Configuration of the Lambda functions: secrets first (SSM SecureString / Secrets Manager values
 * become environment variables for `${NAME}` references), then the config text — from an SSM
 * parameter when `UPSTATE_CONFIG_PARAMETER` names one, else from the file bundled next to the
 * handler (`UPSTATE_CONFIG_FILE`, default `upstate.yaml`) — validated by the same `parseConfig`
 * as every other mode, or, for the bundled file, taken as validated when the zip was built
 * (`prevalidated-config.ts`). The page's auth secrets come from the stack, not the config: when the
 * secret list loads `UPSTATE_AUTH_SECRET` (and, during a rotation, `UPSTATE_AUTH_SECRET_PREVIOUS`),
 * they become `auth:` with the header `UPSTATE_AUTH_HEADER`. So the checker, which serves no
 * page, neither reads them nor needs them for its config to validate.
 *
 * Reading (`readLambdaSources`) and parsing (`buildLambdaConfig`) are separate so a warm
 * container can re-read its sources cheaply and re-parse only when their fingerprint changed.
 * @module
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { ConfigError } from '../../config/config-error.ts';
import type { UpstateConfig } from '../../config/types.ts';
import type { ProbeRegistry } from '../../probes/registry.ts';
import { loadSecrets, parseSecretReferences, SecretLoadError, type SecretClients } from './secret-references.ts';
import { readPrevalidatedConfig } from './prevalidated-config.ts';

export type LambdaEnv = Record<string, string | undefined>;

export interface LambdaConfigOptions {
  env: LambdaEnv;
  /** Folder of the deployed bundle; relative config paths resolve against it. */
  bundleDir: string;
  clients: SecretClients;
  probes?: ProbeRegistry;
}

/** What a config is made from, as read from SSM / Secrets Manager at one moment. */
export interface LambdaSources {
  secrets: Record<string, string>;
  /** Config text from the SSM parameter; undefined when the bundled file is used. */
  text?: string;
  /** Hash of the secrets and the text: equal fingerprints give equal configs. */
  fingerprint: string;
}

/** Variables the stack loads the page's auth secrets under (current, then previous). */
const AUTH_SECRET_VARS = ['UPSTATE_AUTH_SECRET', 'UPSTATE_AUTH_SECRET_PREVIOUS'] as const;

/** The bundled config file: `UPSTATE_CONFIG_FILE` (relative to the bundle) or `upstate.yaml`. */
function configFilePath(env: LambdaEnv, bundleDir: string): string {
  const file = env.UPSTATE_CONFIG_FILE || 'upstate.yaml';
  return isAbsolute(file) ? file : join(bundleDir, file);
}

/** Reads the secrets and, when configured, the config parameter. Throws `SecretLoadError`. */
export async function readLambdaSources(options: LambdaConfigOptions): Promise<LambdaSources> {
  const { env, clients } = options;
  const secrets = await loadSecrets(parseSecretReferences(env.UPSTATE_SECRET_PARAMETERS), clients);
  const parameter = env.UPSTATE_CONFIG_PARAMETER;
  let text: string | undefined;
  if (parameter) {
    try {
      const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const out = await clients.ssm().send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
      text = out.Parameter?.Value;
    } catch (cause) {
      throw new SecretLoadError(`cannot read the config from SSM parameter ${parameter}: ${(cause as Error).message}`, { cause });
    }
    if (text === undefined) throw new SecretLoadError(`SSM parameter ${parameter} holds no config`);
  }
  const sorted = Object.entries(secrets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([sorted, text ?? null]))
    .digest('hex');
  return { secrets, text, fingerprint };
}

/** Parses the config from sources read by `readLambdaSources`. Throws `ConfigError`. */
export async function buildLambdaConfig(options: LambdaConfigOptions, sources: LambdaSources): Promise<UpstateConfig> {
  const { env, bundleDir } = options;
  // Loaded secrets win over same-named plain variables: the template never holds their values.
  const configEnv: LambdaEnv = { ...env, ...sources.secrets };
  const parameter = env.UPSTATE_CONFIG_PARAMETER;
  // The file name only shows in error messages and anchors relative paths (page.templates) in the bundle.
  const file = parameter ? join(bundleDir, `${parameter.split('/').filter(Boolean).pop() ?? 'config'}.yaml`) : configFilePath(env, bundleDir);
  if (sources.text === undefined) {
    // validated when the zip was built: no YAML parser or config schema to load and run
    const prevalidated = await readPrevalidatedConfig(bundleDir, file);
    if (prevalidated) return withStackAuth(prevalidated, env, sources.secrets);
  }
  // the YAML parsers and the config schema load only when a config must be parsed here
  const { loadConfig, parseConfig } = await import('../../config/load-config.ts');
  const config =
    sources.text === undefined ? await loadConfig(file, { env: configEnv, probes: options.probes }) : parseConfig(sources.text, file, { env: configEnv, probes: options.probes });
  return withStackAuth(config, env, sources.secrets);
}

/** Loads secrets, then the config. Throws `ConfigError` or `SecretLoadError` (start-up stops). */
export async function loadLambdaConfig(options: LambdaConfigOptions): Promise<UpstateConfig> {
  return buildLambdaConfig(options, await readLambdaSources(options));
}

/**
 * Puts the stack's auth secrets (when it loaded any) into the config's `auth:`, validated by the
 * config's own `auth:` schema (imported only then: the checker never loads the page's schemas).
 */
async function withStackAuth(config: UpstateConfig, env: LambdaEnv, secrets: Record<string, string>): Promise<UpstateConfig> {
  if (secrets[AUTH_SECRET_VARS[0]] === undefined) return config;
  const file = config.source.split(/[\\/]/).pop() ?? 'upstate.yaml';
  if (config.auth) {
    throw new ConfigError([
      {
        file,
        path: 'auth',
        message: 'the stack supplies the auth header and its secrets (AuthSecretParameterName); remove the auth: block from the config',
      },
    ]);
  }
  const candidate = { header: env.UPSTATE_AUTH_HEADER ?? '', secrets: AUTH_SECRET_VARS.map((name) => secrets[name]).filter((v) => v !== undefined) };
  const { authConfigSchema } = await import('../../http/page-config.ts');
  const parsed = authConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path[0] === 'header' ? 'UPSTATE_AUTH_HEADER' : AUTH_SECRET_VARS[Number(issue.path[1] ?? 0)];
    throw new SecretLoadError(`${where} (the page's auth ${issue.path[0] === 'header' ? 'header' : 'secret'}): ${issue.message}`);
  }
  return { ...config, auth: parsed.data };
}
