/**
 * Agents whose clocks are off: unit cases of `toServerTime`, and a real agent 20 s slow pushing
 * to a real embedded server — its healthy region must not show as stale, and the server must
 * warn and expose the offset in /metrics.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { parseConfig } from '../config/load-config.ts';
import type { CheckResult } from '../domain/result.ts';
import { offsetClock, systemClock } from '../kernel/clock.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { startNodeServer, type RunningServer } from '../runtime/node/start-node-server.ts';
import { startAgent, type RunningAgent } from '../modes/agent-mode.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { agentSubject, generateAgentToken, hashAgentToken } from './agent-token.ts';
import { toServerTime } from './agent-clock.ts';

const result = (at: number): CheckResult => ({ check: 'api', at, status: 'up', latencyMs: 5 });

describe('toServerTime', () => {
  it('shifts a slow agent’s results by its measured offset', () => {
    const timed = toServerTime([result(80_000), result(79_000)], 80_500, 100_500);
    assert.equal(timed.offsetMs, 20_000);
    assert.deepEqual(timed.results.map((r) => r.at), [100_000, 99_000]);
  });

  it('leaves times alone when the offset is network delay', () => {
    const timed = toServerTime([result(99_000)], 100_000, 100_300);
    assert.equal(timed.results[0].at, 99_000);
  });

  it('refuses results stamped after the batch was sent, or in the future without a send time', () => {
    assert.equal(toServerTime([result(200_000)], 100_000, 100_000).implausible, 1);
    const old = toServerTime([result(200_000), result(99_000)], undefined, 100_000);
    assert.equal(old.implausible, 1);
    assert.equal(old.offsetMs, undefined);
    assert.deepEqual(old.results.map((r) => r.at), [99_000]);
  });
});

describe('an agent 20 s slow, pushing to a real server', () => {
  let dir: string;
  let target: Server;
  let store: EmbeddedStore;
  let server: RunningServer;
  let agent: RunningAgent | undefined;
  const logLines: string[] = [];
  const token = generateAgentToken();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-agent-clock-'));
    target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    // stale after 3 intervals = 6 s: a 20 s slow clock made every sample stale
    const config = parseConfig(`checks:\n  - name: api\n    interval: 2s\n    timeout: 1s\n    regions: [eu-west]\n    http: { url: "${url}" }\n`, 'agent-clock.yaml');
    store = createSqliteStore({ path: join(dir, 'upstate.db') });
    await store.migrate();
    await store.saveCredential({ scope: 'agent', subject: agentSubject({ name: 'probe-eu', region: 'eu-west' }), hash: hashAgentToken(token), createdAt: 1 });
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
    server = await startNodeServer({ config, store, logger, port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await agent?.stop();
    await server?.stop();
    await store?.close();
    await new Promise((resolve) => target?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its healthy region fresh, warns once and exposes the offset', async () => {
    const quiet = { info() {}, warn() {}, error() {} };
    agent = await startAgent({
      server: server.url, token, region: 'eu-west', logger: quiet, clock: offsetClock(systemClock, -20_000), flushMs: 200,
    });
    const region = async () => (await store.readStates()).find((s) => s.check === 'api')?.regions?.['eu-west'];
    await waitFor('the region’s first result', region, 20_000, 200);
    const samples: string[] = [];
    for (let i = 0; i < 12; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      samples.push((await region())?.status ?? 'missing');
    }
    const stale = samples.filter((status) => status === 'stale').length;
    console.log(`stale samples: ${stale} of ${samples.length} (${samples.join(' ')})`);
    assert.equal(stale, 0, `healthy region shown stale in ${stale} of ${samples.length} samples`);

    const warnings = logLines.map((line) => JSON.parse(line) as { msg: string; agent?: string; clockOffsetMs?: number }).filter((l) => /clock of agent/.test(l.msg));
    assert.equal(warnings.length, 1, `one warning: ${JSON.stringify(warnings)}`);
    assert.equal(warnings[0].agent, 'probe-eu');
    assert.ok(Math.abs(warnings[0].clockOffsetMs! - 20_000) < 1_500, `offset ${warnings[0].clockOffsetMs}`);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const gauge = /upstate_clock_offset_seconds\{source="agent",name="probe-eu"\} ([\d.]+)/.exec(metrics);
    assert.ok(gauge && Math.abs(Number(gauge[1]) - 20) < 1.5, `gauge: ${gauge?.[0]}`);
  });

  it('refuses results stamped after their batch was sent', async () => {
    const sentAt = Date.now();
    const response = await fetch(`${server.url}/api/v1/agent/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sentAt, results: [{ ...result(sentAt + 60_000), check: 'api' }, result(sentAt - 1_000)] }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { accepted: 1, rejected: 1 });
    assert.ok(logLines.some((line) => /impossible times/.test(line)), 'the refusal is logged');
  });
});
