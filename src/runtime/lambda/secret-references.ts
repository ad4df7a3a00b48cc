/**
 * Secrets for the Lambda functions, never in plain text in the template: `UPSTATE_SECRET_PARAMETERS`
 * names environment variables to load at cold start (and again every refresh period), as a comma
 * list of `NAME=/ssm/parameter/path` (SSM SecureString, decrypted) or
 * `NAME=secretsmanager:<secret arn or name>[#jsonKey]` (Secrets Manager). `NAME?=…` marks a
 * secret that may be absent (the previous auth secret outside a rotation): a missing one is
 * simply not set. The loaded values are then available to `${NAME}` references in the config,
 * exactly like ordinary variables.
 * @module
 */

/** The slice of an SDK v3 client Upstate uses: `send(command)`. */
export interface AwsClientLike {
  send(command: any): Promise<any>;
}

/**
 * A client whose SDK module is imported on its first `send`: a function that never reads a secret
 * (the primary's checker by default) never loads the SSM or Secrets Manager SDK at all — in the
 * packaged bundle each is its own chunk, read only then.
 */
export function lazyAwsClient(load: () => Promise<AwsClientLike>): AwsClientLike {
  let client: Promise<AwsClientLike> | undefined;
  return {
    send: async (command) => (await (client ??= load())).send(command),
  };
}

export interface SecretReference {
  /** Environment variable name the value is exposed as. */
  name: string;
  source: 'ssm' | 'secretsmanager';
  /** SSM parameter name, or Secrets Manager secret id (ARN or name). */
  id: string;
  /** For Secrets Manager JSON secrets: the key to take. */
  jsonKey?: string;
  /** `NAME?=…`: a missing parameter or secret leaves the variable unset instead of failing. */
  optional?: boolean;
}

/** A secret reference that is malformed, missing or unreadable. */
export class SecretLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretLoadError';
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** GetParameters accepts at most 10 names per call. */
const SSM_BATCH = 10;

/** Parses the `UPSTATE_SECRET_PARAMETERS` list; blank or absent means none. */
export function parseSecretReferences(text: string | undefined): SecretReference[] {
  if (!text?.trim()) return [];
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const left = part.slice(0, eq).trim();
      const optional = left.endsWith('?');
      const name = optional ? left.slice(0, -1) : left;
      const target = part.slice(eq + 1).trim();
      if (eq < 1 || !ENV_NAME.test(name) || !target) {
        throw new SecretLoadError(`UPSTATE_SECRET_PARAMETERS: "${part}" must look like NAME=/ssm/path or NAME=secretsmanager:<arn>`);
      }
      const flag = optional ? { optional: true } : {};
      if (target.startsWith('secretsmanager:')) {
        const rest = target.slice('secretsmanager:'.length);
        const hash = rest.indexOf('#');
        const id = hash < 0 ? rest : rest.slice(0, hash);
        if (!id) throw new SecretLoadError(`UPSTATE_SECRET_PARAMETERS: ${name} names no secret`);
        return { name, source: 'secretsmanager', id, ...(hash < 0 ? {} : { jsonKey: rest.slice(hash + 1) }), ...flag } satisfies SecretReference;
      }
      const id = target.startsWith('ssm:') ? target.slice(4) : target;
      return { name, source: 'ssm', id, ...flag } satisfies SecretReference;
    });
}

/** Clients are created only when a reference of their kind exists. */
export interface SecretClients {
  ssm(): AwsClientLike;
  secretsManager(): AwsClientLike;
}

/**
 * Loads every referenced secret; returns `{ NAME: value }`. A missing required secret stops
 * start-up; a missing optional one is left out.
 */
export async function loadSecrets(refs: readonly SecretReference[], clients: SecretClients): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const ssmRefs = refs.filter((ref) => ref.source === 'ssm');
  for (let i = 0; i < ssmRefs.length; i += SSM_BATCH) {
    const batch = ssmRefs.slice(i, i + SSM_BATCH);
    const names = [...new Set(batch.map((ref) => ref.id))];
    const { GetParametersCommand } = await import('@aws-sdk/client-ssm');
    let result: { Parameters?: { Name?: string; Value?: string }[]; InvalidParameters?: string[] };
    try {
      result = await clients.ssm().send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    } catch (cause) {
      throw new SecretLoadError(`cannot read SSM parameters ${names.join(', ')}: ${(cause as Error).message}`, { cause });
    }
    const invalid = new Set(result.InvalidParameters ?? []);
    const missing = batch.filter((ref) => invalid.has(ref.id) && !ref.optional).map((ref) => ref.id);
    if (missing.length) throw new SecretLoadError(`SSM parameters not found: ${[...new Set(missing)].join(', ')}`);
    const values = new Map((result.Parameters ?? []).map((p) => [p.Name, p.Value]));
    for (const ref of batch) {
      const value = values.get(ref.id);
      if (value === undefined && ref.optional) continue;
      if (value === undefined) throw new SecretLoadError(`SSM parameter ${ref.id} (for ${ref.name}) has no value`);
      out[ref.name] = value;
    }
  }
  for (const ref of refs.filter((r) => r.source === 'secretsmanager')) {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    let secret: string | undefined;
    try {
      const result = await clients.secretsManager().send(new GetSecretValueCommand({ SecretId: ref.id }));
      secret = result.SecretString ?? (result.SecretBinary ? Buffer.from(result.SecretBinary).toString('utf8') : undefined);
    } catch (cause) {
      if (ref.optional && (cause as Error).name === 'ResourceNotFoundException') continue;
      throw new SecretLoadError(`cannot read secret ${ref.id} (for ${ref.name}): ${(cause as Error).message}`, { cause });
    }
    if (secret === undefined && ref.optional) continue;
    if (secret === undefined) throw new SecretLoadError(`secret ${ref.id} (for ${ref.name}) has no value`);
    out[ref.name] = ref.jsonKey === undefined ? secret : pickJsonKey(secret, ref);
  }
  return out;
}

function pickJsonKey(secret: string, ref: SecretReference): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch (cause) {
    throw new SecretLoadError(`secret ${ref.id} (for ${ref.name}) is not JSON, so it has no key "${ref.jsonKey}"`, { cause });
  }
  const value = (parsed as Record<string, unknown> | null)?.[ref.jsonKey!];
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new SecretLoadError(`secret ${ref.id} (for ${ref.name}) has no string key "${ref.jsonKey}"`);
  }
  return String(value);
}
