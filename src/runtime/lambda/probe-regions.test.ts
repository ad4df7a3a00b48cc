import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createCheckerHandler, type CheckerHandler } from './checker-handler.ts';
import { createWebHandler, type WebHandler } from './web-handler.ts';
import { createProbeRegionChecker, dueInTick, type ProbeRegionChecker } from './probe-region-checker.ts';
import { openProbeRegionRuntime } from './probe-region-runtime.ts';
import { fixture, startLambdaHarness, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import { startFunctionUrlServer, type FunctionUrlServer } from '../../../test/support/lambda/function-url-server.ts';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers/http-receiver.ts';
import { generateAgentToken, hashAgentToken } from '../../agents/agent-token.ts';
import { probes } from '../../probes/registry.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import type { Check } from '../../domain/check.ts';
import type { LambdaContext } from './lambda-types.ts';

const context: LambdaContext = { awsRequestId: 'req', getRemainingTimeInMillis: () => 55_000 };

describe('probe regions: a primary stack and a probe-region checker on dynalite, quorum 2 over regions', () => {
  let harness: LambdaHarness;
  let target: HttpReceiver;
  let primaryUrl: FunctionUrlServer;
  let checker: CheckerHandler;
  let web: WebHandler;
  let probe: ProbeRegionChecker;
  let offset = 0;
  const now = () => Date.now() + offset;
  const clock: Clock = { ...systemClock, now };
  const token = generateAgentToken();
  /** A scheduled event for the current (shifted) minute, as EventBridge sends it. */
  const tick = async () => ({ ...(await fixture('scheduled-event.json')), time: new Date(Math.floor(now() / 60_000) * 60_000).toISOString() });
  const state = async () => (await harness.store().readStates()).find((s) => s.check === 'Shop');

  before(async () => {
    harness = await startLambdaHarness();
    target = await startHttpReceiver();
    await harness.writeConfig(
      'upstate.yaml',
      `
checks:
  - name: Shop
    interval: 60s
    timeout: 2s
    regions: [local, eu-west]
    quorum: 2
    http:
      url: ${target.url}/health
`,
    );
    const runtime = () => harness.runtime();
    checker = createCheckerHandler({ owner: 'primary', now, runtime });
    web = createWebHandler({ runtime, now });
    primaryUrl = await startFunctionUrlServer(web);
    // the two items docs/aws.md ("Probe regions") tells the user to put: pointer by hash, then the credential
    const hash = hashAgentToken(token);
    const table = harness.client();
    await table.send(new PutCommand({ TableName: harness.tableName, Item: { name: 'credentials', sk: `agent#hash#${hash}`, subject: 'probe-eu/eu-west' } }));
    await table.send(new PutCommand({ TableName: harness.tableName, Item: { name: 'credentials', sk: 'agent#subject#probe-eu/eu-west', scope: 'agent', subject: 'probe-eu/eu-west', hash, createdAt: now() } }));
    assert.equal((await harness.store().listCredentials('agent'))[0]?.subject, 'probe-eu/eu-west', 'the store reads them as an agent credential');
    probe = createProbeRegionChecker({
      runtime: () =>
        openProbeRegionRuntime({
          env: { UPSTATE_PRIMARY_URL: `${primaryUrl.url}/`, UPSTATE_PROBE_REGION: 'eu-west', UPSTATE_AGENT_TOKEN: token, UPSTATE_LOG_LEVEL: 'silent' },
          clock,
        }),
      probes,
      clock,
      marginMs: 5_000,
    });
  });
  after(async () => {
    await checker?.close();
    await web?.close();
    await primaryUrl?.close();
    await target?.close();
    await harness?.stop();
  });

  it('down from one region is not down; down from both is down; one region recovering is up again', async () => {
    assert.equal((await checker(await tick(), context)).checked, 0, 'cold start: schedule synced, nothing due yet');
    offset += 61_000;
    assert.deepEqual([(await checker(await tick(), context)).up], [1], 'primary (local): up');

    target.setMode('fail');
    const fromProbe = await probe(await tick(), context);
    assert.deepEqual([fromProbe.checked, fromProbe.down, fromProbe.delivered, fromProbe.waiting], [1, 1, 1, 0], 'probe region ran the check and the primary took the result');
    assert.ok(primaryUrl.paths.includes('/api/v1/agent/checks') && primaryUrl.paths.includes('/api/v1/agent/results'), 'through the agent API');
    let shop = await state();
    assert.equal(shop?.regions?.['eu-west']?.status, 'down');
    assert.equal(shop?.regions?.local?.status, 'up');
    assert.equal(shop?.status, 'up', 'down from one region of two, quorum 2: not down');

    offset += 60_000;
    assert.equal((await checker(await tick(), context)).down, 1, 'primary (local): down');
    shop = await state();
    assert.deepEqual([shop?.regions?.local?.status, shop?.regions?.['eu-west']?.status, shop?.status], ['down', 'down', 'down'], 'down from both regions: down');

    target.setMode('ok');
    assert.equal((await probe(await tick(), context)).up, 1);
    shop = await state();
    assert.deepEqual([shop?.regions?.local?.status, shop?.regions?.['eu-west']?.status, shop?.status], ['down', 'up', 'up'], 'one region up again: no longer down');
  });

  it('keeps results the primary did not take and delivers them with the next invocation', async () => {
    offset += 60_000;
    await primaryUrl.close();
    const cutOff = await probe(await tick(), context);
    assert.deepEqual([cutOff.checked, cutOff.delivered, cutOff.waiting], [1, 0, 1], 'ran from the cached check list; result kept');
    primaryUrl = await startFunctionUrlServer(web);
    // the same port is not guaranteed: the second probe-region container learns the new URL from its env
    const probe2 = createProbeRegionChecker({
      runtime: () => openProbeRegionRuntime({ env: { UPSTATE_PRIMARY_URL: primaryUrl.url, UPSTATE_PROBE_REGION: 'eu-west', UPSTATE_AGENT_TOKEN: token, UPSTATE_LOG_LEVEL: 'silent' }, clock }),
      probes,
      clock,
      marginMs: 5_000,
    });
    const fresh = await probe2(await tick(), context);
    assert.deepEqual([fresh.checked, fresh.delivered], [1, 1]);
  });

  it('a wrong agent token is refused by the primary (401), and the invocation fails saying so', async () => {
    const stranger = createProbeRegionChecker({
      runtime: () => openProbeRegionRuntime({ env: { UPSTATE_PRIMARY_URL: primaryUrl.url, UPSTATE_PROBE_REGION: 'eu-west', UPSTATE_AGENT_TOKEN: generateAgentToken(), UPSTATE_LOG_LEVEL: 'silent' }, clock }),
      probes,
      clock,
      marginMs: 5_000,
    });
    await assert.rejects(stranger(await tick(), context), /answered 401/);
  });

  it('refuses a start without the primary URL, region or token, naming the variable', async () => {
    const open = (env: Record<string, string>) => openProbeRegionRuntime({ env: { UPSTATE_LOG_LEVEL: 'silent', ...env }, clock });
    await assert.rejects(open({ UPSTATE_PRIMARY_URL: 'ftp://x', UPSTATE_PROBE_REGION: 'eu-west', UPSTATE_AGENT_TOKEN: 't' }), /UPSTATE_PRIMARY_URL/);
    await assert.rejects(open({ UPSTATE_PRIMARY_URL: 'https://x', UPSTATE_PROBE_REGION: 'EU West', UPSTATE_AGENT_TOKEN: 't' }), /UPSTATE_PROBE_REGION/);
    await assert.rejects(open({ UPSTATE_PRIMARY_URL: 'https://x', UPSTATE_PROBE_REGION: 'eu-west' }), /UPSTATE_AGENT_TOKEN/);
  });
});

describe('probe-region schedule from the tick time', () => {
  const check = (name: string, intervalMs: number) => ({ name, intervalMs }) as Check;
  it('runs a 5-minute check once per 5 ticks and a 30-second check every tick', () => {
    const checks = [check('five', 300_000), check('half', 30_000), check('ten', 600_000)];
    const runs = new Map<string, number>();
    const start = Date.UTC(2026, 11, 2, 8, 0, 0);
    for (let minute = 0; minute < 60; minute++) {
      for (const due of dueInTick(checks, start + minute * 60_000, 60_000)) runs.set(due.name, (runs.get(due.name) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(runs), { five: 12, half: 60, ten: 6 });
  });
});
