/**
 * Child process: the baseline. The same requests Upstate makes (GET, new connection per request,
 * body read in full) at the same rate and the same concurrency cap, with nothing around them — no
 * scheduler, probe, conditions or store. Two clients: undici (the library the http probe is built
 * on, one shared Agent, `reset: true`, or kept-alive connections with `keepAlive` as the probe's
 * pool does) and node:http with `agent: false`.
 * @module
 */
import { request as httpRequest } from 'node:http';
import { Agent } from 'undici';
import { exitWithParent, reply, runWorker, workerParams } from '../lib/child.ts';
import { cpuSeconds, sleep, trackRss } from '../lib/stats.ts';

export interface BareParams {
  port: number;
  client: 'undici' | 'node-http';
  /** Requests per second to issue. */
  rate: number;
  concurrency: number;
  /** Distinct paths cycled through (same URLs as the checks). */
  paths: number;
  /** undici only: reuse connections (the http probe's kept-alive pool) instead of one per request. */
  keepAlive?: boolean;
  /** Pacing timer period (default: every 5 ms, at low rates once per request). */
  tickMs?: number;
  warmupMs: number;
  measureMs: number;
}

runWorker(async () => {
  const p = await workerParams<BareParams>();
  const agent = new Agent({ connections: null });
  const origin = `http://127.0.0.1:${p.port}`;

  const viaUndici = async (path: string): Promise<boolean> => {
    const res = await agent.request({ origin, path, method: 'GET', reset: !p.keepAlive });
    await res.body.text();
    return res.statusCode === 200;
  };
  const viaNodeHttp = (path: string): Promise<boolean> =>
    new Promise((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: p.port, path, agent: false }, (res) => {
        res.on('data', () => {}).on('end', () => resolve(res.statusCode === 200)).on('error', () => resolve(false));
      });
      req.on('error', () => resolve(false));
      req.end();
    });
  const one = p.client === 'undici' ? viaUndici : viaNodeHttp;

  let issued = 0;
  let completed = 0;
  let failed = 0;
  let inFlight = 0;
  let next = 0;
  let stopped = false;
  const started = performance.now();
  const launch = () => {
    inFlight++;
    issued++;
    const path = `/c/${next++ % p.paths}`;
    void one(path)
      .catch(() => false)
      .then((ok) => {
        inFlight--;
        completed++;
        if (!ok) failed++;
        pump();
      });
  };
  // Paced like the scheduler: requests fall due at a steady rate; the cap bounds work in flight.
  const pump = () => {
    if (stopped) return;
    const due = Math.floor(((performance.now() - started) / 1000) * p.rate);
    while (issued < due && inFlight < p.concurrency) launch();
  };
  // at most every 5 ms; at a low rate once per request, as a scheduler without coalescing would
  const timer = setInterval(pump, p.tickMs ?? Math.min(1000, Math.max(5, 1000 / p.rate)));
  exitWithParent(async () => {
    clearInterval(timer);
    await agent.destroy();
  });

  const rss = trackRss();
  await sleep(p.warmupMs);
  const at0 = { cpu: process.cpuUsage(), completed, failed, t: performance.now() };
  await sleep(p.measureMs);
  const at1 = { cpu: process.cpuUsage(), completed, failed, t: performance.now() };
  stopped = true;
  clearInterval(timer);
  for (let i = 0; i < 200 && inFlight > 0; i++) await sleep(25);
  reply({
    type: 'result',
    windowS: (at1.t - at0.t) / 1000,
    completed: at1.completed - at0.completed,
    failed: at1.failed - at0.failed,
    cpuS: cpuSeconds(at0.cpu, at1.cpu),
    peakRssBytes: rss.stop(),
  });
});
