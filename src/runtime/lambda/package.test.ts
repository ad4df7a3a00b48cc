import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, startLambdaHarness, withHeader, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import type { CheckResult } from '../../domain/result.ts';
import { startLocalSecretsEndpoint } from '../../../test/support/lambda/local-secrets-endpoint.ts';
import { startFunctionUrlServer } from '../../../test/support/lambda/function-url-server.ts';
import { generateAgentToken, hashAgentToken } from '../../agents/agent-token.ts';
import { createWebHandler } from './web-handler.ts';
import { openLambdaRuntime } from './lambda-runtime.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAX_ZIP = 1024 * 1024;
const SECRET = 'bundle-secret-0123456789';

/**
 * Runs a bundled handler in a fresh Node process (as Lambda would) and returns its JSON answer.
 * Asynchronous on purpose: dynalite runs in this process and must keep answering.
 */
async function invokeBundle(file: string, event: unknown, env: Record<string, string>): Promise<unknown> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
    const event = JSON.parse(process.env.TEST_EVENT);
    const result = await handler(event, { awsRequestId: 't', getRemainingTimeInMillis: () => 50000 });
    process.stdout.write('\\n@@' + JSON.stringify(result));
    if (handler.close) await handler.close();`;
  const child = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(file, '..'),
    env: { PATH: process.env.PATH ?? '', ...env, TEST_EVENT: JSON.stringify(event) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const marker = child.stdout.lastIndexOf('@@');
  assert.ok(marker >= 0, `no answer from the bundle:\n${child.stdout}\n${child.stderr}`);
  return JSON.parse(child.stdout.slice(marker + 2));
}

describe('AWS packaging (esbuild bundles + zips, run from the build folder)', () => {
  let harness: LambdaHarness;
  let out: string;
  let env: Record<string, string>;

  before(async () => {
    harness = await startLambdaHarness();
    out = join(harness.dir, 'build');
    const config = await harness.writeConfig(
      'bundle-config.yaml',
      `
page:
  title: Bundled status
auth:
  header: \${UPSTATE_AUTH_HEADER}
  secrets: ["\${UPSTATE_AUTH_SECRET}"]
checks:
  - name: Payments
    http:
      url: http://127.0.0.1:9/
`,
    );
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/package-aws.mjs'), '--out', out, '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `packaging failed:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /checker .*zip .*KiB/);
    assert.match(run.stdout, /web .*zip .*KiB/);
    assert.match(run.stdout, /config references \$\{UPSTATE_AUTH_HEADER\}, \$\{UPSTATE_AUTH_SECRET\}: validated at cold start/);

    const now = Date.now();
    const result: CheckResult = { check: 'Payments', at: now - 500, status: 'down', latencyMs: 3, failure: { class: 'refused', message: 'connection refused' } };
    await harness.store().recordResults({ results: [result], states: [{ check: 'Payments', status: 'down', since: now - 500, lastResult: result, streak: 0 }] });
    // What the stack sets, plus the SDK's own endpoint override aimed at dynalite.
    env = {
      UPSTATE_TABLE_NAME: harness.tableName,
      UPSTATE_AUTH_HEADER: 'X-Origin-Verify',
      UPSTATE_AUTH_SECRET: SECRET,
      UPSTATE_LOG_LEVEL: 'silent',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: harness.endpoint,
    };
  });
  after(() => harness?.stop());

  it('every zip is under 1 MB and holds the handler, config and (web) theme', () => {
    for (const [name, file] of [
      ['checker', 'checker-handler.mjs'],
      ['web', 'web-handler.mjs'],
    ]) {
      const zip = join(out, `${name}.zip`);
      const size = statSync(zip).size;
      assert.ok(size > 10_000 && size < MAX_ZIP, `${name}.zip is ${size} bytes`);
      assert.ok(existsSync(join(out, name, file)));
      assert.ok(existsSync(join(out, name, 'upstate.yaml')));
    }
    // this config references ${UPSTATE_AUTH_…}: only run time can resolve it, so no build-time JSON
    for (const name of ['checker', 'web']) assert.ok(!existsSync(join(out, name, 'upstate.config.json')), `${name}: no prevalidated config`);
    assert.ok(existsSync(join(out, 'web', 'templates', 'default', 'layout.njk')));
    assert.ok(!existsSync(join(out, 'checker', 'templates')), 'the checker renders no pages');
  });

  it('a cold start compiles only what the handler needs at once: drivers, notifier SDKs and secret clients load on first use', () => {
    /** Packages whose code a cold start never needs: each sits in its own chunk, read on first use. */
    const lazy = [/node_modules\/undici\//, /node_modules\/ssh2\//, /node_modules\/nodemailer\//, /@aws-sdk\/client-(ssm|sns|secrets-manager)\//];
    for (const name of ['checker', 'web']) {
      const inputs = readFileSync(join(out, `${name}.cold-start.txt`), 'utf8').trim().split('\n');
      assert.ok(inputs.some((input) => input.includes('src/runtime/lambda/')), `${name}: the list names the handler's own modules`);
      assert.ok(inputs.some((input) => input.includes('@aws-sdk/client-dynamodb')), `${name}: the store's client loads at once`);
      const eager = inputs.filter((input) => lazy.some((re) => re.test(input)));
      assert.deepEqual(eager, [], `${name}: loaded at cold start but needed only later`);
      // …and they are still in the zip, as chunks
      assert.ok(readdirSync(join(out, name, 'chunks')).some((chunk) => /^nodemailer-/.test(chunk)), `${name}: nodemailer chunk`);
    }
    const checker = readFileSync(join(out, 'checker.cold-start.txt'), 'utf8');
    assert.doesNotMatch(checker, /node_modules\/hono\//, 'the checker serves no HTTP');
  });

  it('the checker cold start loads no probe or notifier kind, no config schema and no library only some configs use', () => {
    const inputs = readFileSync(join(out, 'checker.cold-start.txt'), 'utf8').trim().split('\n');
    // kinds load on first use (probes/lazy-registry.ts, alerting/notifiers/lazy-registry.ts); the
    // config was validated before (prevalidated JSON, or the loader imported on the first invocation)
    const notAtInit = [
      // (the engine's own helpers under probes/ — keep-alive pool, error classes — may load)
      /^src\/probes\/(registry\.ts|tcp\/tcp-probe\.ts|(http|tls|dns|heartbeat|icmp|udp|ssh|starttls|websocket|grpc|postgres|mysql|redis|steps|browser|database)\/)/,
      /^src\/alerting\/notifiers\/(?!notifier\.ts$|lazy-registry\.ts$)/,
      /^src\/config\/(?!config-error\.ts$)/,
      /^src\/agents\//,
      /^src\/maintenance\/(create-maintenance-calendar|window-schedule|maintenance-config)\.ts$/,
      /^src\/alerting\/message-template\.ts$/,
      /node_modules\/(zod|nunjucks|cron-parser|luxon|ws|dns-packet|yaml|js-yaml|ssh2)\//,
    ];
    const eager = inputs.filter((input) => notAtInit.some((re) => re.test(input)));
    assert.deepEqual(eager, [], 'loaded at the checker cold start though a config of http checks never needs them');
    // a generous ceiling: the DynamoDB client is ~400 of these; all probes, notifiers and zod were ~700
    assert.ok(inputs.length < 520, `${inputs.length} modules at the checker cold start`);
  });

  it('the web cold start loads what a page request needs, not the config schemas, metrics or the agent API', () => {
    const inputs = readFileSync(join(out, 'web.cold-start.txt'), 'utf8').trim().split('\n');
    // zod (request bodies, config) loads with the first write or agent request; prom-client with
    // the first scrape; the calendar with a config that has maintenance windows
    const notAtInit = [
      /node_modules\/(zod|prom-client|@opentelemetry\/api|cron-parser|luxon|ws|yaml|js-yaml)\//,
      /^src\/config\/(?!config-error\.ts$)/,
      /^src\/agents\//,
      /^src\/probes\/(registry\.ts|(http|tcp|tls|dns|icmp|udp|ssh|starttls|websocket|grpc|postgres|mysql|redis|steps|browser|database)\/)/,
      // (subscriptions share the webhook body, the JSON poster and the SMTP transport, which loads nodemailer on use)
      /^src\/alerting\/notifiers\/(registry\.ts|(slack|discord|teams|pagerduty|sns)\/|webhook\/webhook-notifier\.ts|email\/email-notifier\.ts)/,
      /^src\/http\/(page-config|metrics|metrics-config)\.ts$/,
      /^src\/maintenance\/(create-maintenance-calendar|window-schedule|maintenance-config)\.ts$/,
    ];
    const eager = inputs.filter((input) => notAtInit.some((re) => re.test(input)));
    assert.deepEqual(eager, [], 'loaded at the web cold start though a page request never needs them');
    assert.ok(inputs.some((input) => input.includes('node_modules/nunjucks/')), 'the page templates (Nunjucks) load at once: every page request renders');
    // a generous ceiling: the DynamoDB client is ~400 of these; with zod, prom-client and the agent API there were ~770
    assert.ok(inputs.length < 600, `${inputs.length} modules at the web cold start`);
  });

  it('packaging again into another folder gives byte-identical zips', () => {
    const again = join(harness.dir, 'build-again');
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/package-aws.mjs'), '--out', again, '--config', join(harness.dir, 'bundle-config.yaml')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `packaging failed:\n${run.stdout}\n${run.stderr}`);
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    for (const name of ['checker', 'web']) assert.equal(digest(join(again, `${name}.zip`)), digest(join(out, `${name}.zip`)), `${name}.zip differs`);
  });

  it('the bundled web handler answers a REST proxy event with the HTML page (real dynalite)', async () => {
    const event = withHeader(await fixture('rest-v1-root.json'), 'x-origin-verify', SECRET);
    const result = (await invokeBundle(join(out, 'web', 'web-handler.mjs'), event, env)) as { statusCode: number; headers: Record<string, string>; body: string };
    assert.equal(result.statusCode, 200);
    assert.match(result.headers['content-type'], /^text\/html; charset=utf-8$/i);
    assert.match(result.body, /Bundled status/);
    assert.match(result.body, /Payments/);
  });

  it('the bundled web handler still refuses a request without the header', async () => {
    const result = (await invokeBundle(join(out, 'web', 'web-handler.mjs'), await fixture('non-proxy-minimal.json'), env)) as string;
    assert.match(result, /Access denied/);
    assert.doesNotMatch(result, /Payments/);
  });

  it('the bundled web handler reads its secret from SSM through the lazily loaded SDK chunk', async () => {
    const ssm = await startLocalSecretsEndpoint({ parameters: { '/upstate/auth-secret': SECRET } });
    // the stack supplies auth from SSM, so this config has no auth: block (the function refuses one beside it)
    writeFileSync(join(out, 'web', 'stack-auth.yaml'), 'page:\n  title: Bundled status\nchecks:\n  - name: Payments\n    http:\n      url: http://127.0.0.1:9/\n');
    try {
      const { UPSTATE_AUTH_SECRET: _fromEnv, ...rest } = env;
      const event = withHeader(await fixture('rest-v1-root.json'), 'x-origin-verify', SECRET);
      const result = (await invokeBundle(join(out, 'web', 'web-handler.mjs'), event, {
        ...rest,
        UPSTATE_CONFIG_FILE: 'stack-auth.yaml',
        UPSTATE_SECRET_PARAMETERS: 'UPSTATE_AUTH_SECRET=/upstate/auth-secret',
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      })) as { statusCode: number };
      assert.equal(result.statusCode, 200);
      assert.deepEqual(ssm.calls.map((call) => call.target), ['AmazonSSM.GetParameters']);
    } finally {
      await ssm.close();
    }
  });

  it('the bundled checker with UPSTATE_PRIMARY_URL is a probe region: it asks the primary\'s agent API for its checks', async () => {
    const token = generateAgentToken();
    await harness.store().saveCredential({ scope: 'agent', subject: 'probe-eu/eu-west', hash: hashAgentToken(token), createdAt: Date.now() });
    const web = createWebHandler({
      runtime: () => openLambdaRuntime({ env: { ...env, UPSTATE_LOG_LEVEL: 'silent' }, bundleDir: join(out, 'web'), clients: { dynamo: harness.client } }),
    });
    const primary = await startFunctionUrlServer(web);
    try {
      const { UPSTATE_TABLE_NAME: _noTable, ...probeEnv } = env;
      const summary = (await invokeBundle(join(out, 'checker', 'checker-handler.mjs'), await fixture('scheduled-event.json'), {
        ...probeEnv,
        UPSTATE_PRIMARY_URL: primary.url,
        UPSTATE_PROBE_REGION: 'eu-west',
        UPSTATE_AGENT_TOKEN: token,
      })) as { region: string; checked: number };
      assert.deepEqual([summary.region, summary.checked], ['eu-west', 0], 'no check lists eu-west in this config');
      assert.deepEqual(primary.paths, ['/api/v1/agent/checks']);
    } finally {
      await primary.close();
      await web.close();
    }
  });

  it('the bundled checker starts, syncs the schedule and answers a scheduled event', async () => {
    const summary = (await invokeBundle(join(out, 'checker', 'checker-handler.mjs'), await fixture('scheduled-event.json'), env)) as { checked: number };
    assert.equal(summary.checked, 0, 'nothing is due right after the schedule is created');
  });

  it('the bundled checker runs a due http check through the probe chunk it loads on first use', async () => {
    // two invocations in one container, the second with the clock 3 minutes on: the check is due
    const script = `
      const realNow = Date.now;
      let offset = 0;
      Date.now = () => realNow() + offset;
      const { handler } = await import(${JSON.stringify(pathToFileURL(join(out, 'checker', 'checker-handler.mjs')).href)});
      const event = JSON.parse(process.env.TEST_EVENT);
      const context = { awsRequestId: 't', getRemainingTimeInMillis: () => 50000 };
      await handler(event, context);
      offset = 180000;
      const second = await handler(event, context);
      process.stdout.write('\\n@@' + JSON.stringify(second));`;
    const child = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(out, 'checker'),
      env: { PATH: process.env.PATH ?? '', ...env, TEST_EVENT: JSON.stringify(await fixture('scheduled-event.json')) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const summary = JSON.parse(child.stdout.slice(child.stdout.lastIndexOf('@@') + 2)) as { checked: number; down: number };
    assert.deepEqual([summary.checked, summary.down], [1, 1], child.stdout + child.stderr);
    // refused by the closed port: the http run executed (a chunk that failed to load would be a probe error)
    const [state] = await harness.store().readStates(['Payments']);
    assert.equal(state?.lastResult?.failure?.class, 'refused', JSON.stringify(state?.lastResult));
    assert.ok((state?.lastResult?.at ?? 0) > Date.now() + 60_000, 'the result is the second invocation\'s (clock moved on)');
  });
});

