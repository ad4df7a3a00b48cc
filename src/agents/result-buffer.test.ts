import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../domain/result.ts';
import { openResultBuffer } from './result-buffer.ts';

const result = (i: number): CheckResult => ({ check: `c${i % 3}`, at: 1_000_000 + i, status: i % 5 ? 'up' : 'down', latencyMs: i, region: 'eu-west' });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => result(from + k));

describe('agent result buffer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-buffer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps results in order and removes acknowledged ones', () => {
    const buffer = openResultBuffer({ dir, segmentResults: 4 });
    buffer.append(range(0, 10));
    assert.equal(buffer.size, 10);
    assert.deepEqual(buffer.peek(3), range(0, 3));
    buffer.ack(3);
    assert.deepEqual(buffer.peek(100), range(3, 10));
    buffer.ack(5);
    assert.deepEqual(buffer.peek(100), range(8, 10));
    // fully delivered segments are deleted from disk
    assert.ok(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length <= 2);
  });

  it('survives a restart: undelivered results come back in order, delivered ones do not', () => {
    const first = openResultBuffer({ dir, segmentResults: 4 });
    first.append(range(0, 7));
    first.ack(2);
    first.append(range(7, 9));
    const second = openResultBuffer({ dir, segmentResults: 4 });
    assert.deepEqual(second.peek(100), range(2, 9));
    second.ack(6);
    second.append(range(9, 11));
    const third = openResultBuffer({ dir, segmentResults: 4 });
    assert.deepEqual(third.peek(100), range(8, 11));
  });

  it('cuts off a line torn by a crash and keeps appending cleanly', () => {
    const first = openResultBuffer({ dir, segmentResults: 100 });
    first.append(range(0, 3));
    const segment = readdirSync(dir).find((f) => f.endsWith('.jsonl'))!;
    appendFileSync(join(dir, segment), '{"check":"c1","at":');
    const second = openResultBuffer({ dir, segmentResults: 100 });
    assert.deepEqual(second.peek(100), range(0, 3));
    second.append(range(3, 4));
    assert.deepEqual(openResultBuffer({ dir, segmentResults: 100 }).peek(100), range(0, 4));
  });

  it('drops the oldest results when full and reports how many', () => {
    const drops: number[] = [];
    const buffer = openResultBuffer({ dir, maxResults: 10, segmentResults: 4, onDrop: (n) => drops.push(n) });
    buffer.append(range(0, 12));
    assert.ok(buffer.size <= 10);
    assert.equal(buffer.dropped, 4);
    assert.deepEqual(drops, [4]);
    assert.deepEqual(buffer.peek(100), range(4, 12), 'the newest are kept, in order');
    assert.deepEqual(openResultBuffer({ dir, maxResults: 10, segmentResults: 4 }).peek(100), range(4, 12), 'and on disk too');
  });

  it('bounds bytes as well as counts', () => {
    const buffer = openResultBuffer({ dir, maxBytes: 2000, segmentResults: 5 });
    buffer.append(range(0, 100));
    assert.ok(buffer.size > 0 && buffer.size < 100);
    assert.equal(buffer.peek(1000).at(-1)?.at, result(99).at);
  });

  it('works in memory without a directory', () => {
    const buffer = openResultBuffer({ maxResults: 5, segmentResults: 1 });
    buffer.append(range(0, 8));
    assert.deepEqual(buffer.peek(10), range(3, 8));
    buffer.ack(2);
    assert.deepEqual(buffer.peek(10), range(5, 8));
  });
});
