import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLiveInvalidation } from './live-invalidation.ts';
import { createResponseCache } from './response-cache.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckState } from '../domain/status.ts';

const up = (check: string, at: number, extra: Partial<CheckState> = {}): CheckState => ({
  check,
  status: 'up',
  since: 0,
  lastResult: { check, at, status: 'up', latencyMs: 10 },
  streak: 0,
  ...extra,
});

describe('live invalidation', () => {
  it('drops outputs on a status or region change, marks them stale on results alone, and leaves other checks alone', async () => {
    let now = 0;
    const cache = createResponseCache({ ttlMs: 60_000, liveRefreshMs: 10_000, now: () => now });
    const live = createLiveInvalidation(cache);
    live.seed([up('A', 0), up('B', 0, { regions: { eu: { status: 'up', at: 0 }, us: { status: 'up', at: 0 } } }), up('C', 0)]);
    let renders = 0;
    const render = async () => ({ body: `r${++renders}`, contentType: 'text/plain', status: 200, lastModified: 0 });
    const keys = ['page:/', `page:/checks/${componentId('A')}`, `badge:${componentId('B')}:status:`, `api:/checks/${componentId('C')}`];
    const fill = async () => Promise.all(keys.map((k) => cache.get(k, render)));
    const rendered = async () => {
      const before = renders;
      await fill();
      return renders - before;
    };
    await fill();
    // results for A with its status unchanged: A's page and `/` stay servable, nothing re-renders
    now = 1_000;
    live.onBatch({ results: [{ check: 'A', at: 1_000, status: 'up', latencyMs: 12 }], states: [up('A', 1_000)] });
    assert.equal(await rendered(), 0);
    // one of B's regions goes down while B stays up by quorum: B's outputs and `/` are dropped
    live.onBatch({
      results: [{ check: 'B', at: 1_100, region: 'us', status: 'down', latencyMs: 10 }],
      states: [up('B', 1_100, { regions: { eu: { status: 'up', at: 0 }, us: { status: 'down', at: 1_100 } } })],
    });
    assert.equal(await rendered(), 2, '`/` and B’s badge, not A’s page nor C’s answer');
    // C goes down: `/` and C's answer are dropped
    live.onBatch({ results: [], states: [up('C', 1_200, { status: 'down' })] });
    assert.equal(await rendered(), 2);
    // the same state again is no change
    live.onBatch({ results: [], states: [up('C', 1_300, { status: 'down' })] });
    assert.equal(await rendered(), 0);
  });

  it('counts a check it has not seen as changed', async () => {
    const cache = createResponseCache({ ttlMs: 60_000, liveRefreshMs: 10_000 });
    const live = createLiveInvalidation(cache);
    await cache.get('page:/', async () => ({ body: 'x', contentType: 'text/plain', status: 200, lastModified: 0 }));
    live.onBatch({ results: [], states: [up('New', 1)] });
    assert.equal(cache.size, 0);
  });
});
