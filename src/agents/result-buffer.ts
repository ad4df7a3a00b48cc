/**
 * The agent's outbound queue of results, kept in order and — when given a directory — on disk,
 * so results survive both an unreachable server and a restart of the agent.
 *
 * On disk it is a series of append-only JSON-lines segment files plus a small cursor file naming
 * how many lines of the oldest segment were already delivered. Appending writes one line per
 * result; acknowledging rewrites the cursor (atomically, by rename) and deletes segments that are
 * fully delivered. A line torn by a crash mid-write is cut off on the next open.
 *
 * The buffer is bounded (results and bytes): when full, the oldest whole segment is dropped and
 * the count reported through `onDrop`, so an agent cut off for days keeps the newest results.
 * @module
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../domain/result.ts';

export interface ResultBufferOptions {
  /** Directory for the on-disk buffer; without it the buffer lives in memory only. */
  dir?: string;
  /** Most results kept (default 100,000). */
  maxResults?: number;
  /** Most bytes kept, as serialised (default 64 MiB). */
  maxBytes?: number;
  /** Results per segment file (default: a tenth of maxResults, at most 1,000). */
  segmentResults?: number;
  /** Called with how many of the oldest results were dropped to stay within the bounds. */
  onDrop?(count: number): void;
}

export interface ResultBuffer {
  append(results: readonly CheckResult[]): void;
  /** The oldest `limit` results, in order, without removing them. */
  peek(limit: number): CheckResult[];
  /** Removes the oldest `count` results (they were delivered). */
  ack(count: number): void;
  /** Results waiting. */
  readonly size: number;
  /** Results dropped since opening because the buffer was full. */
  readonly dropped: number;
}

interface Segment {
  name: string;
  /** Lines written to the file (delivered ones included). */
  lines: number;
  /** Lines not yet delivered. */
  remaining: number;
}

interface Entry {
  result: CheckResult;
  bytes: number;
  segment: Segment;
}

const CURSOR = 'cursor.json';
const SEGMENT = /^seg-(\d{12})\.jsonl$/;

export function openResultBuffer(options: ResultBufferOptions = {}): ResultBuffer {
  const maxResults = options.maxResults ?? 100_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const segmentResults = options.segmentResults ?? Math.max(1, Math.min(1000, Math.floor(maxResults / 10)));
  const dir = options.dir;
  const segments: Segment[] = [];
  let queue: Entry[] = [];
  let head = 0;
  let bytes = 0;
  let dropped = 0;
  let nextSegment = 1;

  const path = (name: string) => join(dir!, name);
  const segmentName = (n: number) => `seg-${String(n).padStart(12, '0')}.jsonl`;

  function writeCursor(): void {
    if (!dir) return;
    const oldest = segments[0];
    const tmp = path(`${CURSOR}.tmp`);
    writeFileSync(tmp, JSON.stringify({ segment: oldest?.name ?? null, delivered: oldest ? oldest.lines - oldest.remaining : 0 }));
    renameSync(tmp, path(CURSOR));
  }

  function removeSegment(segment: Segment): void {
    segments.splice(segments.indexOf(segment), 1);
    if (dir) rmSync(path(segment.name), { force: true });
  }

  function compact(): void {
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  function load(): void {
    mkdirSync(dir!, { recursive: true });
    const names = readdirSync(dir!).filter((name) => SEGMENT.test(name)).sort();
    let cursor: { segment: string | null; delivered: number } = { segment: null, delivered: 0 };
    if (existsSync(path(CURSOR))) {
      try {
        cursor = JSON.parse(readFileSync(path(CURSOR), 'utf8'));
      } catch {
        // a torn cursor only means some delivered results may be sent again
      }
    }
    for (const name of names) {
      nextSegment = Math.max(nextSegment, Number(SEGMENT.exec(name)![1]) + 1);
      if (cursor.segment && name < cursor.segment) {
        rmSync(path(name), { force: true }); // delivered entirely before the last cursor write
        continue;
      }
      const text = readFileSync(path(name), 'utf8');
      const complete = text.lastIndexOf('\n') + 1;
      if (complete < text.length) truncateSync(path(name), Buffer.byteLength(text.slice(0, complete)));
      const lines = text.slice(0, complete).split('\n').slice(0, -1);
      const skip = name === cursor.segment ? cursor.delivered : 0;
      const segment: Segment = { name, lines: lines.length, remaining: 0 };
      segments.push(segment);
      for (const line of lines.slice(skip)) {
        try {
          queue.push({ result: JSON.parse(line) as CheckResult, bytes: Buffer.byteLength(line) + 1, segment });
          segment.remaining++;
          bytes += Buffer.byteLength(line) + 1;
        } catch {
          // an unreadable line is skipped, never allowed to block the ones after it
        }
      }
      if (!segment.remaining && segment.lines >= segmentResults) removeSegment(segment);
    }
    writeCursor();
  }

  function enforceBounds(): void {
    while (queue.length - head > maxResults || bytes > maxBytes) {
      const oldest = segments[0];
      if (!oldest) break;
      let count = 0;
      while (head < queue.length && queue[head].segment === oldest) {
        bytes -= queue[head].bytes;
        head++;
        count++;
      }
      removeSegment(oldest);
      dropped += count;
      if (count) options.onDrop?.(count);
      if (!segments.length) break;
    }
    compact();
    writeCursor();
  }

  if (dir) load();

  return {
    append(results) {
      if (!results.length) return;
      let current = segments[segments.length - 1];
      let lines = '';
      const flush = () => {
        if (dir && lines) appendFileSync(path(current.name), lines);
        lines = '';
      };
      for (const result of results) {
        if (!current || current.lines >= segmentResults) {
          flush();
          current = { name: segmentName(nextSegment++), lines: 0, remaining: 0 };
          segments.push(current);
        }
        const line = `${JSON.stringify(result)}\n`;
        const size = Buffer.byteLength(line);
        lines += line;
        current.lines++;
        current.remaining++;
        queue.push({ result, bytes: size, segment: current });
        bytes += size;
      }
      flush();
      if (queue.length - head > maxResults || bytes > maxBytes) enforceBounds();
    },
    peek(limit) {
      return queue.slice(head, head + limit).map((entry) => entry.result);
    },
    ack(count) {
      const end = Math.min(queue.length, head + count);
      for (; head < end; head++) {
        const entry = queue[head];
        entry.segment.remaining--;
        bytes -= entry.bytes;
      }
      // a segment still being written stays, so its line count keeps matching the cursor
      while (segments.length && segments[0].remaining === 0 && (segments.length > 1 || segments[0].lines >= segmentResults)) {
        removeSegment(segments[0]);
      }
      compact();
      writeCursor();
    },
    get size() {
      return queue.length - head;
    },
    get dropped() {
      return dropped;
    },
  };
}
