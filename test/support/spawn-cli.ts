/**
 * Test support: runs the real `upstate` CLI in its own process (Node runs the TypeScript sources directly, as a user would
 * run the built binary), capturing its output. Process tests of the cluster and the agents use
 * it to run several instances side by side and to kill one with SIGKILL.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../src/cli/bin.ts');

export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Waits until the output matches `pattern` (bounded); returns the first capture group or the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `upstate <args>`; `nodeArgs` go to node itself (e.g. a test preload: `--import file`). */
export function startCli(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): CliProcess {
  return startProcess(process.execPath, [...nodeArgs, BIN, ...args], { env });
}

/** Options of `startProcess`: `env` is added to this process's environment. */
export interface StartProcessOptions {
  env?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
}

/** Starts any command with the same capture, waiting and stopping as `startCli` (e.g. a built `dist/cli/bin.js`). */
export function startProcess(command: string, args: string[], options: StartProcessOptions = {}): CliProcess {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    env: { ...process.env, UPSTATE_LOG_LEVEL: 'info', ...options.env },
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    child,
    output: () => text,
    exited,
    async waitForOutput(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(text);
        if (match) return match[1] ?? match[0];
        if (gone) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for ${pattern} in output:\n${text.slice(-3000)}`);
    },
    async stop(graceMs = 5000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
