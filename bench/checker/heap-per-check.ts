/**
 * Live heap per check of `upstate serve`, measured repeatably (not a registered benchmark: a
 * diagnostic for shrinking the live set). The parent starts the local target (or, with
 * `--target=refuse`, points every check at a refused port, so every check is down and every
 * alert fires), writes the serve benchmark's scenario and forks a child with `--expose-gc` that
 * runs `upstate serve` in-process (src/cli/main.ts, the CLI's own code path). After start-up plus
 * `--rounds` intervals the child runs a full GC twice and reports `heapUsed` ÷ checks and RSS;
 * with `--snapshot=FILE` it also writes a heap snapshot for the DevTools memory panel (summarise it
 * by owner with `heap-owners.ts`). Before the forced GC it also records `process.memoryUsage()`
 * as the server ran. The child runs with the CLI entry's heap flags (`--heap-defaults=off`: V8's
 * own sizing).
 *
 *   node bench/checker/heap-per-check.ts --checks=20000 [--interval=30] [--rounds=2]
 *     [--target=mix|refuse] [--snapshot=/tmp/serve.heapsnapshot] [--heap-defaults=on|off] [--json]
 *
 * Run from the repository root with Node 24 (it runs the .ts sources directly). RSS is reported
 * after the forced GC, so it is lower than the serve benchmark's steady RSS, which includes the
 * garbage V8 has not collected yet; compare figures from this script only with each other.
 * @module
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { startWorker } from '../lib/child.ts';
import { removeBundles } from '../lib/bundle.ts';
import { sleep } from '../lib/stats.ts';
import { writeServeScenario } from './serve-config.ts';
import { heapDefaults } from '../../src/cli/heap-defaults.ts';

const MB = 1024 * 1024;

interface Usage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Measured {
  type: 'measured';
  /** As the server ran, before the forced collections: what its RSS is made of in steady state. */
  steady: Usage;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  snapshot?: string;
}

/** The child: `upstate serve` in this process, measured when the parent asks. */
async function child(config: string, data: string): Promise<void> {
  const { main } = await import('../../src/cli/main.ts');
  void main(['serve', '--config', config, '--data', data, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn']).then((code) => {
    process.send?.({ type: 'exited', code });
  });
  process.on('message', (raw) => {
    const message = raw as { type: string; snapshot?: string };
    if (message.type !== 'measure') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('heap-per-check: the child needs --expose-gc');
    const steady = process.memoryUsage();
    // twice: the first pass can leave objects whose finalizers free more on the second
    gc();
    gc();
    const usage = process.memoryUsage();
    const snapshot = message.snapshot ? writeHeapSnapshot(message.snapshot) : undefined;
    process.send?.({ type: 'measured', ...usage, steady, snapshot } satisfies Measured, () => process.exit(0));
  });
  process.send?.({ type: 'started' });
}

/** A port nothing listens on: bound, then closed, so connections to it are refused at once. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

async function parent(): Promise<void> {
  const { values } = parseArgs({
    options: {
      checks: { type: 'string', default: '20000' },
      interval: { type: 'string', default: '30' },
      rounds: { type: 'string', default: '2' },
      target: { type: 'string', default: 'mix' },
      snapshot: { type: 'string' },
      'heap-defaults': { type: 'string', default: 'on' },
      json: { type: 'boolean', default: false },
    },
  });
  const checks = Number(values.checks);
  const intervalMs = Number(values.interval) * 1000;
  const rounds = Number(values.rounds);
  if (!(checks > 0 && intervalMs > 0 && rounds > 0)) throw new Error('heap-per-check: --checks, --interval and --rounds must be positive');
  if (values.target !== 'mix' && values.target !== 'refuse') throw new Error('heap-per-check: --target is mix or refuse');
  const dir = mkdtempSync(join(tmpdir(), 'upstate-heap-'));
  process.env.UPSTATE_BENCH_SOURCE = '1';
  const target = values.target === 'mix' ? await startWorker(new URL('./target-server.ts', import.meta.url), { mix: 'mix' }) : undefined;
  try {
    const port = target ? (await target.next<{ type: string; port: number }>('ready', 30_000)).port : await refusedPort();
    const scenario = await writeServeScenario({ checks, intervalMs, targetPort: port, dir });
    // the heap flags the CLI entry (src/cli/bin.ts) starts `serve` with
    const defaults = values['heap-defaults'] === 'off' ? [] : heapDefaults([], undefined);
    const server = fork(fileURLToPath(import.meta.url), ['--child', scenario.config, scenario.data], {
      execArgv: ['--expose-gc', ...defaults],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const inbox = new Map<string, (m: unknown) => void>();
    const next = <T>(type: string, timeoutMs: number) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`heap-per-check: no '${type}' from serve within ${timeoutMs} ms`)), timeoutMs);
        inbox.set(type, (m) => {
          clearTimeout(timer);
          resolve(m as T);
        });
      });
    server.on('message', (m) => {
      const type = (m as { type: string }).type;
      if (type === 'exited') throw new Error(`heap-per-check: serve exited early (code ${(m as { code: number }).code})`);
      inbox.get(type)?.(m);
    });
    const t0 = performance.now();
    await next('started', 120_000);
    // start-up (config load, store open) is part of the first interval's wait: give it a round
    // of its own, then the requested rounds of checks
    await sleep(intervalMs * (rounds + 1));
    const measuredAfterS = (performance.now() - t0) / 1000;
    const reply = next<Measured>('measured', 120_000);
    server.send({ type: 'measure', snapshot: values.snapshot });
    const m = await reply;
    await new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', () => resolve())));
    const result = {
      checks,
      intervalS: intervalMs / 1000,
      target: values.target,
      measuredAfterS: Math.round(measuredAfterS),
      heapUsedMB: m.heapUsed / MB,
      heapPerCheckB: m.heapUsed / checks,
      rssMB: m.rss / MB,
      externalMB: m.external / MB,
      arrayBuffersMB: m.arrayBuffers / MB,
      steadyMB: Object.fromEntries(Object.entries(m.steady).map(([key, bytes]) => [key, Math.round(bytes / MB)])),
      loadAverage: loadavg(),
      snapshot: m.snapshot,
    };
    if (values.json) console.log(JSON.stringify(result));
    else
      console.log(
        `${checks} checks every ${intervalMs / 1000} s (target ${values.target}), measured after ${result.measuredAfterS} s and a full GC: ` +
          `heapUsed ${result.heapUsedMB.toFixed(1)} MB = ${Math.round(result.heapPerCheckB)} B per check; RSS ${result.rssMB.toFixed(0)} MB; ` +
          `external ${result.externalMB.toFixed(1)} MB (array buffers ${result.arrayBuffersMB.toFixed(1)}); ` +
          `before the GC (MB): ${Object.entries(result.steadyMB).map(([key, mb]) => `${key} ${mb}`).join(', ')}; load ${result.loadAverage.map((x) => x.toFixed(2)).join(' ')}` +
          (m.snapshot ? `; snapshot ${m.snapshot}` : ''),
      );
  } finally {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
    removeBundles();
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await parent();
