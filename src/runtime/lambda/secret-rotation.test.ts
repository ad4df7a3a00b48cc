import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createWebHandler, type WebHandler } from './web-handler.ts';
import { createCheckerHandler } from './checker-handler.ts';
import { startHttpReceiver } from '../../../test/support/receivers/http-receiver.ts';
import { createLambdaLogger } from './lambda-logger.ts';
import { fixture, startLambdaHarness, withHeader, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import { startLocalSecretsEndpoint, type LocalSecretsEndpoint } from '../../../test/support/lambda/local-secrets-endpoint.ts';
import { loadTemplate } from '../../../test/support/cloudformation.ts';
import { ConfigError } from '../../config/config-error.ts';
import type { ProxyResult } from './lambda-types.ts';

const OLD = 'old-secret-0123456789abcdef';
const NEW = 'new-secret-fedcba9876543210';
const CURRENT = '/upstate/auth-secret';
const PREVIOUS = '/upstate/auth-secret-previous';
const CONFIG = `
page:
  title: Rotating status
checks:
  - name: Billing API
    http:
      url: http://127.0.0.1:9/health
`;
/** The web function's secret list as deploy/aws/template.yaml builds it. */
const WEB_SECRETS = `UPSTATE_AUTH_SECRET=${CURRENT},UPSTATE_AUTH_SECRET_PREVIOUS?=${PREVIOUS}`;

describe('auth secret rotation: two live secrets, re-read by a warm container every refresh period', () => {
  let harness: LambdaHarness;
  let aws: LocalSecretsEndpoint;
  let clients: { ssm: () => SSMClient; secretsManager: () => SecretsManagerClient };
  let clock = 1_000_000;
  const now = () => clock;
  const logs: string[] = [];
  const handlers: WebHandler[] = [];

  const newHandler = (env: Record<string, string> = {}) => {
    const handler = createWebHandler({
      runtime: () =>
        harness.runtime(
          { UPSTATE_AUTH_HEADER: 'X-Upstate-Auth', UPSTATE_SECRET_PARAMETERS: WEB_SECRETS, UPSTATE_REFRESH_SECONDS: '60', ...env },
          { clients, logger: createLambdaLogger('info', (line) => logs.push(line)), now },
        ),
    });
    handlers.push(handler);
    return handler;
  };
  /** Status code of a page request carrying `secret` (none when undefined). */
  const statusWith = async (handler: WebHandler, secret?: string) => {
    const event = await fixture('rest-v1-root.json');
    const result = (await handler(secret === undefined ? event : withHeader(event, 'X-Upstate-Auth', secret))) as ProxyResult;
    return result.statusCode;
  };
  const ssmReads = () => aws.calls.filter((c) => c.target === 'AmazonSSM.GetParameters').length;

  before(async () => {
    harness = await startLambdaHarness();
    aws = await startLocalSecretsEndpoint({ parameters: { [CURRENT]: OLD } });
    await harness.writeConfig('upstate.yaml', CONFIG);
    const options = { endpoint: aws.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } };
    clients = { ssm: () => new SSMClient(options), secretsManager: () => new SecretsManagerClient(options) };
  });
  after(async () => {
    for (const handler of handlers) await handler.close();
    await aws?.close();
    await harness?.stop();
  });

  it('accepts old and new during the rotation, refuses the old once it is removed, each after the refresh period', async () => {
    const handler = newHandler();
    // before: one secret, from the stack (the config has no auth: block)
    assert.equal(await statusWith(handler, OLD), 200);
    assert.equal(await statusWith(handler, NEW), 401);
    assert.equal(await statusWith(handler), 401);
    const readsAtStart = ssmReads();

    // rotation step 1: the old value becomes the previous secret, the new one the current
    aws.parameters[PREVIOUS] = OLD;
    aws.parameters[CURRENT] = NEW;
    clock += 30_000;
    // within the refresh period the warm container has not looked yet: no read, old rules hold
    assert.equal(await statusWith(handler, NEW), 401);
    assert.equal(ssmReads(), readsAtStart, 'no SSM read before the period is over');

    clock += 31_000;
    // one re-read after the period: both secrets live
    assert.equal(await statusWith(handler, NEW), 200);
    assert.equal(await statusWith(handler, OLD), 200);
    assert.equal(await statusWith(handler, 'neither-of-the-two-secrets'), 401);
    assert.equal(ssmReads(), readsAtStart + 1, 'one SSM read per period, not per request');

    // rotation step 2 (after the proxy sends the new value): remove the previous secret
    delete aws.parameters[PREVIOUS];
    clock += 10_000;
    assert.equal(await statusWith(handler, OLD), 200, 'still inside the period');
    clock += 61_000;
    assert.equal(await statusWith(handler, OLD), 401, 'the removed secret is refused after the period');
    assert.equal(await statusWith(handler, NEW), 200);
    assert.ok(logs.some((line) => line.includes('secrets or config changed')));
  });

  it('a failed or invalid re-read keeps the current secrets and logs why', async () => {
    aws.parameters[CURRENT] = NEW;
    const handler = newHandler();
    assert.equal(await statusWith(handler, NEW), 200);
    aws.parameters[CURRENT] = 'short';
    clock += 61_000;
    assert.equal(await statusWith(handler, NEW), 200, 'a too-short secret is not applied');
    assert.ok(logs.some((line) => line.includes('keeping the current ones') && line.includes('at least 8 characters')));
    aws.parameters[CURRENT] = NEW;
  });

  it('a config with its own auth: block beside the stack secret is refused, naming the block', async () => {
    await harness.writeConfig('with-auth.yaml', `${CONFIG}auth:\n  header: X-Upstate-Auth\n  secrets: ["\${UPSTATE_AUTH_SECRET}"]\n`);
    await assert.rejects(
      harness.runtime({ UPSTATE_CONFIG_FILE: 'with-auth.yaml', UPSTATE_AUTH_HEADER: 'X-Upstate-Auth', UPSTATE_SECRET_PARAMETERS: WEB_SECRETS }, { clients }),
      (error: unknown) => error instanceof ConfigError && /with-auth\.yaml auth: the stack supplies/.test(error.message),
    );
  });

  it("the checker loads the bundled deploy/aws/upstate.yaml with the template's checker environment (no auth secret)", async () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const template = loadTemplate(join(root, 'deploy', 'aws', 'template.yaml'));
    const vars = template.Resources.CheckerFunction.Properties.Environment.Variables as Record<string, unknown>;
    // the checker's environment, with CloudFormation's values for the default parameters
    const env: Record<string, string> = { UPSTATE_TABLE_NAME: harness.tableName, UPSTATE_LOG_LEVEL: 'silent' };
    for (const [name, value] of Object.entries(vars)) if (typeof value === 'string') env[name] = value;
    assert.ok(!JSON.stringify(vars).includes('AuthSecretParameterName'), 'the checker is not given the auth secret');
    await harness.writeConfig('bundled.yaml', await readFile(join(root, 'deploy', 'aws', 'upstate.yaml'), 'utf8'));
    const runtime = await harness.runtime({ ...env, UPSTATE_CONFIG_FILE: 'bundled.yaml' }, { clients });
    assert.ok(runtime.config.checks.length > 0);
    assert.equal(runtime.config.auth, undefined);
    await runtime.store.close();
  });

  it('a changed config parameter reaches a warm checker after the refresh period (schedule re-synced)', async () => {
    const target = await startHttpReceiver();
    const checks = (names: string[]) => `checks:\n${names.map((n) => `  - name: ${n}\n    interval: 60s\n    timeout: 2s\n    http:\n      url: ${target.url}/${n}\n`).join('')}`;
    aws.parameters['/upstate/checker-config'] = checks(['one']);
    let offset = 0;
    const at = () => Date.now() + offset;
    const checker = createCheckerHandler({
      owner: 'refresh-test',
      now: at,
      runtime: () => harness.runtime({ UPSTATE_CONFIG_PARAMETER: '/upstate/checker-config', UPSTATE_REFRESH_SECONDS: '60' }, { clients, now: at }),
    });
    const context = { awsRequestId: 'r', getRemainingTimeInMillis: () => 55_000 };
    try {
      await checker({}, context); // cold start: syncs the schedule
      offset += 61_000;
      assert.equal((await checker({}, context)).checked, 1);
      aws.parameters['/upstate/checker-config'] = checks(['one', 'two']);
      offset += 61_000;
      // this invocation re-reads (61 s > 60 s), syncs "two" as new (due after its phase) and runs "one"
      await checker({}, context);
      offset += 61_000;
      assert.equal((await checker({}, context)).checked, 2, 'the added check runs without a cold start');
      assert.ok(target.requests.some((r) => r.path === '/two'));
    } finally {
      await checker.close();
      await target.close();
    }
  });
});
