/**
 * The data directory going bad under `upstate serve`, in real processes on real filesystems: a
 * directory that cannot be created, one that is read-only after a clean stop or after a crash,
 * and a disk that fills up while serving. The filesystem cases mount a small tmpfs, so they need
 * root (CI runs as root); elsewhere they are skipped with that reason.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliProcess } from '../../../test/support/spawn-cli.ts';

const isRoot = process.getuid?.() === 0;
const NEEDS_ROOT = isRoot ? false : 'mounting a small tmpfs needs root (CI runs as root)';

/** The lines a failed start printed, and whether any looks like a stack frame. */
/** Info-level log lines (start-up facts such as the fd limits) are not part of the failure. */
const isInfoLog = (line: string) => /^\{"level":(?:[12]\d|30),/.test(line);

function failure(output: string): { lines: string[]; stack: boolean } {
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => line && !isInfoLog(line));
  return { lines, stack: lines.some((line) => /^\s+at /.test(line)) };
}

async function readyz(url: string): Promise<{ status: number; body: { status?: string; reason?: string } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status?: string; reason?: string } };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('data directory problems (real processes)', () => {
  let dir: string;
  let mount: string;
  let target: Server;
  let config: string;
  let mounted = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-datadir-'));
    target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as AddressInfo).port;
    config = join(dir, 'upstate.yaml');
    // five checks a second each, so a failing store would be asked to write every second
    const checks = Array.from({ length: 5 }, (_, i) => `  - name: web-${i}\n    interval: 1s\n    timeout: 900ms\n    http: { url: "http://127.0.0.1:${port}/" }`);
    writeFileSync(config, ['checks:', ...checks].join('\n'));
    mount = join(dir, 'mnt');
  });
  after(async () => {
    if (mounted) execFileSync('umount', ['-l', mount]);
    await new Promise((resolve) => target.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const serve = (data: string): CliProcess => startCli(['serve', '--config', config, '--data', data, '--port', '0', '--host', '127.0.0.1']);
  const servingUrl = (cli: CliProcess) => cli.waitForOutput(/"url":"(http:\/\/[^"]+)"/);

  function mountTmpfs(size: string): void {
    execFileSync('mkdir', ['-p', mount]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'upstate-test', mount]);
    mounted = true;
  }
  function unmount(): void {
    execFileSync('umount', [mount]);
    mounted = false;
  }
  const remount = (mode: 'ro') => execFileSync('mount', ['-o', `remount,${mode}`, mount]);

  it('a data directory that cannot be created: one line naming the path, exit 2', async () => {
    const data = '/dev/null/upstate-data';
    const cli = serve(data);
    const code = await cli.exited;
    const { lines, stack } = failure(cli.output());
    console.log(`cannot create: exit ${code}, ${lines.length} line(s): ${lines[0]}`);
    assert.equal(code, 2);
    assert.equal(stack, false, cli.output());
    assert.equal(lines.length, 1, cli.output());
    assert.match(lines[0], /\/dev\/null\/upstate-data/);
  });

  for (const stop of ['a clean stop', 'a crash'] as const) {
    it(`a read-only data directory after ${stop}: one line naming the path, exit 2`, { skip: NEEDS_ROOT }, async () => {
      mountTmpfs('16m');
      try {
        const data = join(mount, 'data');
        const first = serve(data);
        await servingUrl(first);
        await new Promise((resolve) => setTimeout(resolve, 1500)); // some results written
        if (stop === 'a crash') {
          first.child.kill('SIGKILL');
          await first.exited;
        } else {
          await first.stop(15_000);
        }
        remount('ro');
        const second = serve(data);
        const code = await Promise.race([second.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000))]);
        await second.stop();
        const { lines, stack } = failure(second.output());
        console.log(`read-only after ${stop}: exit ${code}, ${lines.length} line(s): ${lines.at(-1)}`);
        assert.equal(code, 2, second.output().slice(-2000));
        assert.equal(stack, false, second.output());
        assert.equal(lines.length, 1, second.output());
        assert.match(lines[0], new RegExp(data.replaceAll('/', '\\/')));
        assert.match(lines[0], /read-only/);
      } finally {
        unmount();
      }
    });
  }

  it('a full disk: /readyz says not ready with the reason, the log stays bounded, and it recovers by itself', { skip: NEEDS_ROOT }, async () => {
    mountTmpfs('8m');
    const cli = serve(join(mount, 'data'));
    try {
      const url = await servingUrl(cli);
      await until('ready', async () => ((await readyz(url)).status === 200 ? true : undefined), 20_000);
      // fill the filesystem to the last byte
      const filler = join(mount, 'filler');
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      try {
        for (;;) writeSync(fd, chunk, 0, 512);
      } catch {
        // the last blocks
      }
      closeSync(fd);
      const full = await until('not ready', async () => {
        const r = await readyz(url);
        return r.status === 503 ? r : undefined;
      }, 30_000).catch(() => undefined);
      const logStart = cli.output().length;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      // bounded: each message about each subject at most once (one check or alert, not once a second)
      const lines = cli.output().slice(logStart).split('\n').filter((line) => /"level":(40|50)/.test(line));
      const keys = lines.map((line) => {
        const entry = JSON.parse(line) as { msg?: string; check?: string; alert?: string };
        return `${entry.msg} ${entry.check ?? ''} ${entry.alert ?? ''}`;
      });
      const repeats = keys.length - new Set(keys).size;
      const logged = lines.length;
      console.log(`disk full: /readyz ${full ? `${full.status} ${JSON.stringify(full.body)}` : 'stayed 200 for 30 s'}; ${logged} warning/error lines in 10 s, ${repeats} of them repeats`);
      rmSync(filler);
      const recovered = await until('ready again', async () => ((await readyz(url)).status === 200 ? true : undefined), 30_000).catch(() => false);
      console.log(`disk full: ${recovered ? 'ready again after the space was freed' : 'still not ready 30 s after the space was freed'}`);
      assert.ok(full, '/readyz must report not-ready while writes fail');
      assert.match(full.body.reason ?? '', /disk full/);
      assert.equal(repeats, 0, `${logged} lines logged in 10 s, ${repeats} repeated:\n${lines.join('\n')}`);
      assert.ok(logged <= 20, `${logged} lines logged in 10 s`);
      assert.equal(recovered, true);
    } finally {
      await cli.stop(15_000);
      unmount();
    }
  });
});
