/**
 * Reads a response body without letting the target decide how much memory we use: at most
 * `maxBytes` are read (then the stream is destroyed, which drops the connection), and only the
 * first `keepBytes` are kept for assertions.
 * @module
 */
import type { Readable } from 'node:stream';
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

/** Reads `body` up to the cap; rejects with the stream's error (abort, reset, …). */
export async function readCappedBody(body: Readable, maxBytes: number, keepBytes = KEPT_BODY_BYTES): Promise<CappedBody> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bytesRead = 0;
  let firstChunkAt: number | undefined;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    firstChunkAt ??= performance.now();
    bytesRead += chunk.length;
    if (keptBytes < keepBytes) {
      const slice = chunk.subarray(0, keepBytes - keptBytes);
      kept.push(slice);
      keptBytes += slice.length;
    }
    if (bytesRead > maxBytes) {
      // Leaving the loop destroys the stream; the caller also destroys the dispatcher.
      body.destroy();
      return { text: Buffer.concat(kept).toString('utf8'), bytesRead, truncated: true, firstChunkAt };
    }
  }
  return { text: Buffer.concat(kept).toString('utf8'), bytesRead, truncated: false, firstChunkAt };
}
