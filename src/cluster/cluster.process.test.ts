/**
 * Cluster mode as it runs in production: one PostgreSQL, three `upstate serve --mode cluster --store postgres://…`
 * processes, a counting target on 127.0.0.1. Every check must hit the target exactly once per
 * interval (no duplicates, no gaps), keep doing so after one instance is killed with SIGKILL,
 * open pages on one instance must see the results the others wrote, and an alert must be
 * delivered once cluster-wide.
 *
 * Tolerance: each hit is attributed to the slot it follows (slot = phase + k·interval). The only
 * slots allowed to miss are those at most one interval before or after the kill (a run in flight
 * on the killed instance dies with it); everywhere else exactly one hit per slot is required.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../test/support/embedded-postgres.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { phaseOf } from '../scheduler/scheduler.ts';
import { componentId } from '../status/component-id.ts';
import { startCli, type CliProcess } from '../../test/support/spawn-cli.ts';

const INTERVAL = 2000;
const CHECKS = ['c1', 'c2', 'c3', 'c4', 'flaky'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Slot index of a hit at `at` for `check` (the slot it follows). */
function slotOf(check: string, at: number): number {
  return Math.floor((at - phaseOf(check, INTERVAL)) / INTERVAL);
}
function slotTime(check: string, k: number): number {
  return k * INTERVAL + phaseOf(check, INTERVAL);
}

/** Reads `results` events from a page's SSE stream until `signal` aborts. */
async function collectLiveEvents(url: string, signal: AbortSignal, seen: Set<string>): Promise<void> {
  const response = await fetch(url, { signal });
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!/^event: results$/m.test(block)) continue;
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const payload = JSON.parse(data ?? '{}') as { checks: { id: string; at: number }[] };
        for (const c of payload.checks) seen.add(`${c.id}@${c.at}`);
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

describe('cluster mode (3 processes, one PostgreSQL)', () => {
  let pg: EmbeddedPostgres;
  let dir: string;
  let target: Server;
  let targetUrl: string;
  let receiver: HttpReceiver;
  const hits: { check: string; at: number }[] = [];
  const down = new Set<string>();
  const instances: CliProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-cluster-'));
    pg = await startEmbeddedPostgres();
    receiver = await startHttpReceiver();
    target = createServer((req, res) => {
      const check = (req.url ?? '/').slice(1);
      hits.push({ check, at: Date.now() });
      res.statusCode = down.has(check) ? 503 : 200;
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });

  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop(3000)));
    await new Promise((resolve) => target.close(resolve));
    await receiver.close();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each check once per interval, survives kill -9, relays live updates between instances', async () => {
    const config = join(dir, 'upstate.yaml');
    writeFileSync(
      config,
      [
        'page: { title: Cluster }',
        'alerts: { enabled: true }',
        `notifiers:\n  hook: { kind: webhook, url: "${receiver.url}/hook" }`,
        'checks:',
        ...CHECKS.map((name) => `  - name: ${name}\n    interval: 2s\n    timeout: 1s\n    http: { url: "${targetUrl}/${name}" }`),
      ].join('\n'),
    );
    for (let i = 0; i < 3; i++) {
      instances.push(startCli(['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--mode', 'cluster', '--store', pg.url]));
    }
    const urls = await Promise.all(instances.map((instance) => instance.waitForOutput(/"url":"(http:[^"]+)"/)));
    for (const url of urls) assert.equal((await fetch(`${url}/readyz`)).status, 200);
    // each instance measured its clock against the database's before its first claim
    for (const url of urls) {
      const gauge = /upstate_clock_offset_seconds\{source="instance",name="[^"]+"\} (-?[\d.e-]+)/.exec(await (await fetch(`${url}/metrics`)).text());
      assert.ok(gauge && Math.abs(Number(gauge[1])) < 1, `instance clock offset in /metrics: ${gauge?.[0]}`);
    }

    // window 1: all three instances; the page on instance 3 listens meanwhile
    const live = new Set<string>();
    const sse = new AbortController();
    const listening = collectLiveEvents(`${urls[2]}/events`, sse.signal, live);
    await sleep(INTERVAL); // settle: first slots after start-up
    const t0 = Date.now();
    down.add('flaky');
    await sleep(3 * INTERVAL);
    const tKill = Date.now();
    instances[0].child.kill('SIGKILL');
    await instances[0].exited;
    await sleep(4 * INTERVAL);
    const t1 = Date.now();
    sse.abort();
    await listening;

    let slotsChecked = 0;
    for (const check of CHECKS) {
      const perSlot = new Map<number, number>();
      for (const hit of hits) if (hit.check === check) perSlot.set(slotOf(check, hit.at), (perSlot.get(slotOf(check, hit.at)) ?? 0) + 1);
      // whole slots inside [t0, t1)
      for (let k = slotOf(check, t0) + 1; slotTime(check, k) + INTERVAL <= t1; k++) {
        const count = perSlot.get(k) ?? 0;
        slotsChecked++;
        const nearKill = Math.abs(slotTime(check, k) - tKill) <= INTERVAL;
        if (nearKill) assert.ok(count <= 1, `${check} slot ${k}: ${count} hits near the kill (at most one allowed)`);
        else assert.equal(count, 1, `${check} slot ${k} (${slotTime(check, k) - t0} ms after t0): ${count} hits, expected exactly one`);
      }
    }

    assert.ok(slotsChecked >= CHECKS.length * 5, `only ${slotsChecked} slots were observed`);

    // live updates: instance 3's page saw (nearly) every run, not only the third it ran itself
    const runs = new Set(hits.filter((h) => h.at >= t0 + INTERVAL && h.at < t1 - INTERVAL).map((h) => `${h.check}@${slotOf(h.check, h.at)}`));
    const seenRuns = new Set(
      [...live].map((entry) => {
        const [id, at] = entry.split('@');
        const check = CHECKS.find((name) => componentId(name) === id)!;
        return `${check}@${slotOf(check, Number(at))}`;
      }),
    );
    const missed = [...runs].filter((run) => !seenRuns.has(run));
    assert.ok(runs.size >= CHECKS.length * 4, `only ${runs.size} runs observed`);
    assert.ok(missed.length <= 2, `instance 3's live feed missed ${missed.length} of ${runs.size} runs: ${missed.join(', ')}`);
  });

  it('delivers the alert of a check that went down once, cluster-wide', async () => {
    assert.ok(down.has('flaky') && instances.length === 3, 'runs after the scheduling test (flaky is down)');
    // alerting: one firing notification for the down check, however many instances evaluated it
    const firing = await receiver.waitFor(1, { timeoutMs: 10_000, filter: (r) => r.json().kind === 'firing' });
    await sleep(2 * INTERVAL); // duplicates would arrive within this (every instance evaluates each round)
    const all = receiver.requests.filter((r) => r.json().kind === 'firing');
    assert.equal(all.length, 1, `expected one firing alert, got ${all.length}`);
    assert.equal(firing[0].json().check, 'flaky');
  });
});
