/**
 * Delivers the agent's buffered results to the server in order, in bounded batches. A batch is
 * removed from the buffer only after the server acknowledged it, so an outage (or a restart)
 * loses nothing; while the server is unreachable the sender backs off (capped) and logs once per
 * outage rather than once per attempt.
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import type { ResultBuffer } from './result-buffer.ts';
import type { PostOutcome } from './agent-client.ts';

export interface SenderLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface ResultSenderDeps {
  buffer: ResultBuffer;
  post(results: readonly CheckResult[]): Promise<PostOutcome>;
  logger: SenderLogger;
  /** Results per request (default 200; the server accepts up to 500). */
  batchSize?: number;
  /** How long results may wait to be batched, ms (default 1000). */
  flushMs?: number;
  /** Longest back-off between attempts while the server is unreachable, ms (default 30 s). */
  maxBackoffMs?: number;
}

export interface ResultSender {
  start(): void;
  /** New results are waiting (sent within `flushMs`, or at once when a batch is full). */
  notify(): void;
  /** Stops after one last delivery attempt of at most `graceMs`; undelivered results stay buffered. */
  stop(graceMs?: number): Promise<void>;
}

export function createResultSender(deps: ResultSenderDeps): ResultSender {
  const batchSize = deps.batchSize ?? 200;
  const flushMs = deps.flushMs ?? 1000;
  const maxBackoffMs = deps.maxBackoffMs ?? 30_000;
  let stopped = true;
  let failures = 0;
  let outageSince: number | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  /** Sends one batch; returns false when the caller should back off. */
  async function sendOne(): Promise<boolean> {
    const batch = deps.buffer.peek(batchSize);
    if (!batch.length) return true;
    const outcome = await deps.post(batch);
    if (outcome.kind === 'ok' || outcome.kind === 'reject') {
      if (outcome.kind === 'reject') deps.logger.error({ dropped: batch.length, reason: outcome.reason }, 'server refused a batch of results; dropping it');
      deps.buffer.ack(batch.length);
      if (outageSince !== undefined) {
        deps.logger.info({ afterMs: Date.now() - outageSince, waiting: deps.buffer.size }, 'server reachable again; delivering buffered results');
        outageSince = undefined;
      }
      failures = 0;
      return true;
    }
    if (outageSince === undefined) {
      outageSince = Date.now();
      const msg = outcome.kind === 'unauthorized' ? 'server refused the agent token (revoked?); keeping results' : 'server unreachable; buffering results';
      deps.logger[outcome.kind === 'unauthorized' ? 'error' : 'warn']({ reason: outcome.reason, waiting: deps.buffer.size }, msg);
    }
    failures++;
    return false;
  }

  async function run(): Promise<void> {
    while (!stopped) {
      if (deps.buffer.size === 0) {
        await sleep(flushMs);
        continue;
      }
      if (deps.buffer.size < batchSize && failures === 0) await sleep(flushMs); // let a batch gather
      if (stopped) break;
      const ok = await sendOne().catch((error) => {
        deps.logger.error({ err: error }, 'sending results failed');
        failures++;
        return false;
      });
      if (!ok) await sleep(Math.min(maxBackoffMs, 250 * 2 ** Math.min(failures, 10)));
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    notify() {
      if (deps.buffer.size >= batchSize) wake?.();
    },
    async stop(graceMs = 5000) {
      stopped = true;
      wake?.();
      await loop;
      const deadline = Date.now() + graceMs;
      while (deps.buffer.size && Date.now() < deadline) {
        if (!(await sendOne().catch(() => false))) break;
      }
    },
  };
}
