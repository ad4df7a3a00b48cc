/**
 * Reads a response body without letting the target decide how much memory we use: at most
 * `maxBytes` are read (then the stream is destroyed, which drops the connection), and only the
 * first `keepBytes` are kept for assertions.
 * @module
 */
import { finished, type Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';

/** Bytes of body kept for conditions (`outcome.body`). */
const KEPT_BODY_BYTES = 64 * 1024;

export interface CappedBody {
  /** The first `keepBytes`, decoded as UTF-8. */
  text: string;
  /** Bytes read (up to just past the cap). */
  bytesRead: number;
  /** True when the body was longer than `maxBytes` and reading stopped. */
  truncated: boolean;
  /** `performance.now()` of the first body chunk, if any. */
  firstChunkAt?: number;
}

/**
 * Reads `body` up to the cap; rejects with the stream's error (abort, reset, …). Listens for
 * 'data' and `finished` rather than `for await`: the async iterator costs a promise and a
 * microtask per chunk and its own end-of-stream watcher on every run, and most answers are one chunk.
 */
export function readCappedBody(body: Readable, maxBytes: number, keepBytes = KEPT_BODY_BYTES): Promise<CappedBody> {
  return new Promise<CappedBody>((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let bytesRead = 0;
    let firstChunkAt: number | undefined;
    let settled = false;
    const text = () => (kept.length === 1 ? kept[0].toString('utf8') : Buffer.concat(kept).toString('utf8'));
    const onData = (chunk: Buffer) => {
      if (settled) return;
      firstChunkAt ??= performance.now();
      bytesRead += chunk.length;
      if (keptBytes < keepBytes) {
        const slice = chunk.subarray(0, keepBytes - keptBytes);
        kept.push(slice);
        keptBytes += slice.length;
      }
      if (bytesRead > maxBytes) {
        settled = true;
        body.off('data', onData);
        // destroying drops the connection; the caller also destroys the dispatcher
        body.destroy();
        resolve({ text: text(), bytesRead, truncated: true, firstChunkAt });
      }
    };
    body.on('data', onData);
    // `finished` also reports a stream that errored or closed before these listeners were attached
    finished(body, (error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      if (error) reject(error);
      else resolve({ text: text(), bytesRead, truncated: false, firstChunkAt });
    });
  });
}
