/**
 * Parent/child plumbing: each measured party (target server, monitor, bare client, load
 * generator, page server) runs in its own Node process, so its CPU time and RSS are its own.
 * Messages are `{ type, ... }` objects over the IPC channel; every wait is bounded.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundled } from './bundle.ts';

export interface Message {
  type: string;
  [key: string]: unknown;
}

export interface Worker {
  readonly child: ChildProcess;
  /** Sends when the channel is open; a send the exiting child can no longer take rejects the waiters instead of throwing. */
  send(message: Message): void;
  /** Next message of `type` (earlier ones are queued); rejects after `timeoutMs` or if the child exits. */
  next<T extends Message = Message>(type: string, timeoutMs: number): Promise<T>;
  /** Asks the child to exit, then kills it if it has not within `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Forks `file` (a .ts next to the caller, run as its esbuild bundle). `params` go over IPC when
 * the child asks (`hello`), not in argv, which caps at ~128 KiB per argument.
 */
export async function startWorker(file: URL, params: unknown, options: { execArgv?: string[] } = {}): Promise<Worker> {
  // an esbuild bundle run by plain node, like compiled Upstate; the .ts source itself (Node strips
  // its types) only with --source, which sets UPSTATE_BENCH_SOURCE
  const fromSource = process.env.UPSTATE_BENCH_SOURCE === '1';
  const entry = fromSource ? fileURLToPath(file) : await bundled(file);
  const child = fork(entry, [], {
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: Message[] = [];
  const waiters: { type: string; resolve(m: Message): void; reject(e: Error): void }[] = [];
  let exited: Error | undefined;
  let lost: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A child that is exiting closes its end of the channel first, so a send can still fail after
  // `connected` said yes (EPIPE, ERR_IPC_CHANNEL_CLOSED). Without a callback that failure is an
  // 'error' event nobody listens to, which throws in the bench process. Waiters are told now
  // rather than at their timeout; the exit, when it comes, says why the child went.
  const post = (message: Message) => {
    if (!child.connected) return;
    child.send(message, (error) => {
      if (!error || exited) return;
      lost ??= new Error(`${fileURLToPath(file)}: could not send '${message.type}' (${(error as NodeJS.ErrnoException).code ?? error.message}); the child is going away`);
      for (const w of waiters.splice(0)) w.reject(lost);
    });
  };

  child.on('message', (raw) => {
    const message = raw as Message;
    if (message.type === 'hello') {
      post({ type: 'params', params });
      return;
    }
    const i = waiters.findIndex((w) => w.type === message.type || message.type === 'error');
    if (i >= 0) {
      const [w] = waiters.splice(i, 1);
      if (message.type === 'error') w.reject(new Error(`${file.pathname}: ${String(message.message)}`));
      else w.resolve(message);
    } else inbox.push(message);
  });
  child.once('exit', (code, signal) => {
    exited = new Error(`${fileURLToPath(file)} exited (code ${code}, signal ${signal})`);
    for (const w of waiters.splice(0)) w.reject(exited);
  });

  return {
    child,
    send(message) {
      post(message);
    },
    next<T extends Message>(type: string, timeoutMs: number): Promise<T> {
      const queued = inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (queued >= 0) {
        const [m] = inbox.splice(queued, 1);
        return m.type === 'error' ? Promise.reject(new Error(String(m.message))) : Promise.resolve(m as T);
      }
      if (exited ?? lost) return Promise.reject(exited ?? lost);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for '${type}' from ${fileURLToPath(file)}`));
        }, timeoutMs);
        const waiter = {
          type,
          resolve: (m: Message) => (clearTimeout(timer), resolve(m as T)),
          reject: (e: Error) => (clearTimeout(timer), reject(e)),
        };
        waiters.push(waiter);
      });
    },
    async close(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      post({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/** Child side: asks the parent for its params. */
export async function workerParams<T>(): Promise<T> {
  const answer = received<Message & { params: T }>('params');
  reply({ type: 'hello' });
  return (await answer).params;
}

export function reply(message: Message): void {
  process.send?.(message);
}

/** Resolves with the next message of `type` from the parent. */
export function received<T extends Message = Message>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (raw: unknown) => {
      const m = raw as Message;
      if (m.type === type) {
        process.off('message', on);
        resolve(m as T);
      }
    };
    process.on('message', on);
  });
}

/** Exits when the parent says so or goes away; reports uncaught errors as an `error` message. */
export function exitWithParent(cleanup: () => Promise<void> | void = () => {}): void {
  const done = async () => {
    try {
      await cleanup();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (m) => (m as Message).type === 'exit' && void done());
  process.on('disconnect', () => void done());
}

/**
 * Runs `main`, reporting a failure to the parent instead of dying silently.
 *
 * Source maps stay off, as in `upstate serve` (compiled, plain `node`): with source-map stack
 * rewriting on (`--enable-source-maps`, or a loader that turns it on), every Error created on a
 * hot path (undici makes several per closed connection) costs ~10× more.
 */
export function runWorker(main: () => Promise<void>): void {
  process.setSourceMapsEnabled?.(false);
  main().catch((error: unknown) => {
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    setTimeout(() => process.exit(1), 100);
  });
}
