/**
 * Live memory after a full collection, for the memory tests that count bytes per check (never
 * time). Importing it exposes V8's `gc` inside the test process.
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live JS heap bytes after two full collections. */
export function liveHeapBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Live JS heap plus typed arrays' backing stores (kept off the heap), after two full collections. */
export function liveHeapAndBufferBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
