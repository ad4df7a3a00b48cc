/**
 * The npm package as a user gets it (issue 15): `npm pack` of a fresh build, installed from the
 * tarball into an empty directory (`npm install --prefer-offline`: the registry only for what the
 * npm cache lacks), then the installed CLI through `npx`: `upstate init` writes a config that
 * `upstate validate` accepts, and `upstate serve` runs the bundled example with the bundled
 * templates until its checks report, then stops cleanly on SIGTERM.
 *
 * Cost: installing is the slow part (~134 packages, ~124 MB). better-sqlite3 13 ships its
 * linux-x64 binary inside the package, so nothing is compiled; docs/deploy.md ("npm package") has the
 * measured figures.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './support/free-port.ts';

const ROOT = join(import.meta.dirname, '..');
const run = promisify(execFile);
/** The installed bin's `#!/usr/bin/env node` must find this Node, not the machine's default one. */
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** Processes whose parent chain leads to `pid` (Linux /proc). */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: { pid: number; cmd: string }[] = [];
  for (const [child] of parent) {
    for (let p = parent.get(child); p !== undefined && p > 1; p = parent.get(p)) {
      if (p !== pid) continue;
      try {
        found.push({ pid: child, cmd: readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
      } catch {
        // ended
      }
      break;
    }
  }
  return found;
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

describe('npm package installed from its tarball', { timeout: INSTALL_TIMEOUT_MS + 5 * 60_000 }, () => {
  let dir: string;
  let app: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-install-'));
    const pkg = join(dir, 'pkg');
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { env });
    for (const entry of ['package.json', 'README.md', 'LICENSE', 'templates', 'examples']) cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true });
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: pkg, env });
    const tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0].filename);
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', '--no-package-lock', tarball], { cwd: app, env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('`npx upstate init` writes a commented starter config that `npx upstate validate` accepts', async () => {
    const init = await run('npx', ['--no-install', 'upstate', 'init', '--out', 'starter.yaml'], { cwd: app, env });
    assert.match(init.stdout + init.stderr, /starter\.yaml/);
    const written = readFileSync(join(app, 'starter.yaml'), 'utf8');
    assert.match(written, /^#/m, 'the starter is commented');
    const validate = await run('npx', ['--no-install', 'upstate', 'validate', '--config', 'starter.yaml'], { cwd: app, env });
    assert.match(validate.stdout, /starter\.yaml: OK — \d+ checks?\b/);
  });

  it('`npx upstate serve` runs the bundled example and templates, reports its checks, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    // the bundled example checks this machine on port 3000 and says to change the 3000s when serving elsewhere
    const example = readFileSync(join(app, 'node_modules/upstate/examples/upstate.yaml'), 'utf8');
    writeFileSync(join(app, 'example.yaml'), example.replaceAll(':3000', `:${port}`).replaceAll('port: 3000', `port: ${port}`));
    const child = spawn('npx', ['--no-install', 'upstate', 'serve', '--config', 'example.yaml', '--port', String(port), '--host', '127.0.0.1', '--data', './data'], {
      cwd: app,
      env: { ...env, UPSTATE_LOG_LEVEL: 'info' }, // the stop is judged from the server's own log lines
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const base = `http://127.0.0.1:${port}`;
    try {
      await poll('/healthz answers', 120_000, async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined));
      const expected = [...example.matchAll(/^ {2}- name: (.+)$/gm)].map((m) => m[1].trim());
      assert.ok(expected.length >= 4, `the example has checks (${expected.join(', ')})`);
      // every check of the example has reported, and all are up: they only check this very server
      const status = await poll('every check reports up', 120_000, async () => {
        const body = (await (await fetch(`${base}/api/v1/status`)).json()) as { components: { name: string; status: string }[] };
        return body.components.length === expected.length && body.components.every((c) => c.status === 'up') ? body : undefined;
      });
      assert.deepEqual(status.components.map((c) => c.name).sort(), [...expected].sort());
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Example status \(this machine\)/, 'the page is rendered from the bundled templates');
      for (const name of expected) assert.ok(html.includes(name), `the page lists ${name}`);
    } finally {
      // SIGTERM to the server itself, as a supervisor stops it; npx then ends with the server's exit code
      const server = descendants(child.pid!).find((p) => /upstate serve/.test(p.cmd) && /node/.test(p.cmd.split(' ')[0]));
      if (server) process.kill(server.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    }
    const exit = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 60_000))]);
    if (exit === 'hung') process.kill(child.pid!, 'SIGKILL');
    assert.deepEqual(exit, { code: 0, signal: null }, log);
    assert.match(log, /"msg":"stopping: finishing running checks and flushing results"/);
    assert.match(log, /"msg":"stopped"/);
    assert.doesNotMatch(log, /"level":(50|60)/, 'no error was logged');
    assert.deepEqual(descendants(child.pid!), [], 'nothing is left running');
  });
});
