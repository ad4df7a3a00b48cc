import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadLambdaConfig } from './load-lambda-config.ts';
import { parseSecretReferences, SecretLoadError, type SecretClients } from './secret-references.ts';
import { LambdaStartError, openLambdaRuntime } from './lambda-runtime.ts';
import { startLocalSecretsEndpoint, type LocalSecretsEndpoint } from '../../../test/support/lambda/local-secrets-endpoint.ts';
import { ConfigError } from '../../config/config-error.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:upstate/hooks-AbCdEf';
const CONFIG = (secretRef: string) => `
auth:
  header: X-Upstate-Auth
  secrets: ["\${AUTH_SECRET}"]
checks:
  - name: Website
    http:
      url: http://127.0.0.1:9/\${${secretRef}}
`;

describe('Lambda config: secrets from SSM / Secrets Manager, config from file or SSM', () => {
  let aws: LocalSecretsEndpoint;
  let dir: string;
  let clients: SecretClients;

  before(async () => {
    aws = await startLocalSecretsEndpoint({
      parameters: { '/upstate/auth-secret': 'from-ssm-0123456789', '/upstate/config': CONFIG('HOOK_PATH') },
      secrets: { [SECRET_ARN]: JSON.stringify({ path: 'hook-from-secrets-manager' }) },
    });
    dir = await mkdtemp(join(tmpdir(), 'upstate-lambda-config-'));
    await writeFile(join(dir, 'upstate.yaml'), CONFIG('HOOK_PATH'));
    const options = { endpoint: aws.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } };
    clients = { ssm: () => new SSMClient(options), secretsManager: () => new SecretsManagerClient(options) };
  });
  after(async () => {
    await aws?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads SecureString and Secrets Manager values (decrypted) before parsing the bundled file', async () => {
    const env = {
      UPSTATE_SECRET_PARAMETERS: `AUTH_SECRET=/upstate/auth-secret, HOOK_PATH=secretsmanager:${SECRET_ARN}#path`,
      AUTH_SECRET: 'plain-env-value-must-lose',
    };
    const config = await loadLambdaConfig({ env, bundleDir: dir, clients });
    assert.deepEqual(config.auth?.secrets, ['from-ssm-0123456789']);
    assert.equal((config.checks[0].probe as { url: string }).url, 'http://127.0.0.1:9/hook-from-secrets-manager');
    const ssmCall = aws.calls.find((c) => c.target === 'AmazonSSM.GetParameters');
    assert.deepEqual(ssmCall?.input, { Names: ['/upstate/auth-secret'], WithDecryption: true });
    assert.equal(ssmCall?.accessKeyId, 'AKIDLOCAL');
  });

  it('reads the config itself from an SSM parameter when UPSTATE_CONFIG_PARAMETER is set', async () => {
    const env = {
      UPSTATE_CONFIG_PARAMETER: '/upstate/config',
      UPSTATE_CONFIG_FILE: 'does-not-exist.yaml',
      UPSTATE_SECRET_PARAMETERS: 'AUTH_SECRET=ssm:/upstate/auth-secret',
      HOOK_PATH: 'plain',
    };
    const config = await loadLambdaConfig({ env, bundleDir: dir, clients });
    assert.deepEqual(config.auth?.secrets, ['from-ssm-0123456789']);
    assert.deepEqual(
      config.checks.map((c) => c.name),
      ['Website'],
    );
    const get = aws.calls.find((c) => c.target === 'AmazonSSM.GetParameter');
    assert.deepEqual(get?.input, { Name: '/upstate/config', WithDecryption: true });
  });

  it('a missing parameter or secret stops start-up, naming it', async () => {
    await assert.rejects(
      loadLambdaConfig({ env: { UPSTATE_SECRET_PARAMETERS: 'AUTH_SECRET=/upstate/missing' }, bundleDir: dir, clients }),
      (error: unknown) => error instanceof SecretLoadError && /\/upstate\/missing/.test(error.message),
    );
    await assert.rejects(
      loadLambdaConfig({ env: { UPSTATE_SECRET_PARAMETERS: 'X=secretsmanager:nope' }, bundleDir: dir, clients }),
      (error: unknown) => error instanceof SecretLoadError && /nope/.test(error.message) && error.cause !== undefined,
    );
    await assert.rejects(
      loadLambdaConfig({ env: { UPSTATE_CONFIG_PARAMETER: '/upstate/none' }, bundleDir: dir, clients }),
      (error: unknown) => error instanceof SecretLoadError && /\/upstate\/none/.test(error.message),
    );
  });

  it('an optional (NAME?=) secret that does not exist is left unset; a required one still stops start-up', async () => {
    const env = { UPSTATE_SECRET_PARAMETERS: 'AUTH_SECRET=/upstate/auth-secret,GONE?=/upstate/absent', HOOK_PATH: 'x' };
    const config = await loadLambdaConfig({ env, bundleDir: dir, clients });
    assert.deepEqual(config.auth?.secrets, ['from-ssm-0123456789']);
    await assert.rejects(
      loadLambdaConfig({ env: { ...env, UPSTATE_SECRET_PARAMETERS: 'AUTH_SECRET=/upstate/absent,GONE?=/upstate/absent-too' }, bundleDir: dir, clients }),
      (error: unknown) => error instanceof SecretLoadError && /\/upstate\/absent$/.test(error.message),
    );
  });

  it('an unresolved ${NAME} is a config error', async () => {
    await assert.rejects(loadLambdaConfig({ env: {}, bundleDir: dir, clients }), ConfigError);
  });

  it('parses the reference list strictly', () => {
    assert.deepEqual(parseSecretReferences(' A=/x ,B=secretsmanager:arn:aws:secretsmanager:r:1:secret:s#k, C=ssm:/y '), [
      { name: 'A', source: 'ssm', id: '/x' },
      { name: 'B', source: 'secretsmanager', id: 'arn:aws:secretsmanager:r:1:secret:s', jsonKey: 'k' },
      { name: 'C', source: 'ssm', id: '/y' },
    ]);
    assert.deepEqual(parseSecretReferences('P?=/prev'), [{ name: 'P', source: 'ssm', id: '/prev', optional: true }]);
    assert.deepEqual(parseSecretReferences(undefined), []);
    assert.throws(() => parseSecretReferences('=/x'), SecretLoadError);
    assert.throws(() => parseSecretReferences('1BAD=/x'), SecretLoadError);
    assert.throws(() => parseSecretReferences('A='), SecretLoadError);
  });

  it('refuses to start without a table name', async () => {
    await assert.rejects(openLambdaRuntime({ env: {}, bundleDir: dir }), LambdaStartError);
  });
});
