/**
 * Child process: the load generator. `connections` keep-alive connections (undici Pool), each
 * sending the next GET as soon as the previous answer is read, for `durationMs` after a warm-up;
 * records every latency. Sends no Accept-Encoding unless told (then bodies are counted compressed).
 * @module
 */
import { Pool } from 'undici';
import { exitWithParent, reply, runWorker, workerParams } from '../lib/child.ts';
import { summarize } from '../lib/stats.ts';

export interface LoadParams {
  origin: string;
  path: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Extra request headers, e.g. `accept-encoding: gzip` as a browser sends. */
  headers?: Record<string, string>;
}

runWorker(async () => {
  const p = await workerParams<LoadParams>();
  const pool = new Pool(p.origin, { connections: p.connections, pipelining: 1 });
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let bytes = 0;
  let measuring = false;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const t = performance.now();
      try {
        const res = await pool.request({ path: p.path, method: 'GET', headers: p.headers });
        const body = await res.body.arrayBuffer();
        if (!measuring) continue;
        latencies.push(performance.now() - t);
        if (res.statusCode === 200) ok++;
        else errors++;
        bytes += body.byteLength;
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const loops = Array.from({ length: p.connections }, loop);
  await new Promise((r) => setTimeout(r, p.warmupMs));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, p.durationMs));
  measuring = false;
  const windowS = (performance.now() - t0) / 1000;
  stopped = true;
  await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 30_000))]);
  await pool.destroy();
  reply({ type: 'result', windowS, ok, errors, bytes, rps: ok / windowS, latency: summarize(latencies) });
  // exit when the parent says so: exiting on our own raced its `exit` message, and a send to a
  // child that is going away fails with EPIPE in the parent (seen on a loaded machine)
  exitWithParent();
});
