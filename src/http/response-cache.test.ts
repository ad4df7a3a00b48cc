import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createResponseCache, etagOf } from './response-cache.ts';
import { latency, percentText, relativeTime, shortDate, uptimeLevel } from './view-format.ts';

describe('response cache', () => {
  it('serves cached output within the TTL, evicts the least recently used, and skips caching during the grace period', async () => {
    let now = 1_000;
    let renders = 0;
    const cache = createResponseCache({ ttlMs: 10_000, maxEntries: 2, graceMs: 3_000, now: () => now });
    const render = (body: string) => async () => {
      renders += 1;
      return { body, contentType: 'text/plain', status: 200, lastModified: now };
    };
    const a = await cache.get('a', render('A'));
    assert.equal(a.etag, etagOf('A'));
    await cache.get('a', render('A2'));
    assert.equal(renders, 1);
    await cache.get('b', render('B'));
    await cache.get('a', render('A3')); // touch a: b is now least recently used
    await cache.get('c', render('C'));
    assert.equal(cache.size, 2);
    await cache.get('b', render('B2'));
    assert.equal(renders, 4, 'b was evicted');
    now += 10_001;
    assert.equal((await cache.get('a', render('A4'))).body, 'A4', 'expired after the TTL');
    cache.invalidate();
    assert.equal(cache.size, 0);
    await cache.get('a', render('A5'));
    assert.equal(cache.size, 0, 'not cached while the store writer may still be flushing');
    now += 3_001;
    await cache.get('a', render('A6'));
    assert.equal(cache.size, 1);
  });

  it('renders once for concurrent misses of one key, and a failed render is not kept', async () => {
    const cache = createResponseCache({ ttlMs: 10_000 });
    let renders = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const render = async () => {
      renders += 1;
      await gate;
      return { body: 'X', contentType: 'text/plain', status: 200, lastModified: 0 };
    };
    const pending = Array.from({ length: 10 }, () => cache.get('k', render));
    release();
    const bodies = (await Promise.all(pending)).map((e) => e.body);
    assert.deepEqual(bodies, Array(10).fill('X'));
    assert.equal(renders, 1, `10 concurrent misses → ${renders} renders`);
    const failing = async () => {
      renders += 1;
      throw new Error('store down');
    };
    await Promise.all([assert.rejects(cache.get('f', failing)), assert.rejects(cache.get('f', failing))]);
    assert.equal(renders, 2, 'the second miss shared the failed render');
    await assert.rejects(cache.get('f', failing));
    assert.equal(renders, 3, 'a failure is not cached');
  });

  it('serves output made stale by results for the live window, revalidating in the background once', async () => {
    let now = 0;
    let renders = 0;
    const cache = createResponseCache({ ttlMs: 30_000, liveRefreshMs: 4_000, now: () => now });
    const render = async () => {
      renders += 1;
      return { body: `v${renders}`, contentType: 'text/plain', status: 200, lastModified: now };
    };
    assert.equal((await cache.get('k', render)).body, 'v1');
    cache.markStale((key) => key === 'k');
    now = 1_000;
    assert.equal((await cache.get('k', render)).body, 'v1', 'stale but servable');
    assert.equal(renders, 1, 'no re-render within half the window of the last render');
    now = 2_000;
    cache.markStale(() => true);
    const both = await Promise.all([cache.get('k', render), cache.get('k', render)]);
    assert.deepEqual(both.map((e) => e.body), ['v1', 'v1'], 'served stale while the background render runs');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(renders, 2, 'one background render for two requests');
    assert.equal((await cache.get('k', render)).body, 'v2');
    // nobody asked for a while: output stale longer than the window is never served
    cache.markStale(() => true);
    now = 6_500;
    assert.equal((await cache.get('k', render)).body, 'v3');
    // a hard invalidation while a render runs: its output is returned but not kept
    cache.markStale(() => true);
    now = 11_000;
    let finish!: () => void;
    const slow = async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      return render();
    };
    const inFlight = cache.get('k', slow);
    cache.invalidate();
    finish();
    assert.equal((await inFlight).body, 'v4');
    assert.equal((await cache.get('k', render)).body, 'v5');
  });

  it('formats times, latencies and percentages for people', () => {
    const now = Date.UTC(2026, 0, 10, 12);
    assert.equal(relativeTime(now - 2_000, now), 'just now');
    assert.equal(relativeTime(now - 42_000, now), '42 s ago');
    assert.equal(relativeTime(now - 5 * 60_000, now), '5 min ago');
    assert.equal(relativeTime(now - 3 * 3_600_000, now), '3 h ago');
    assert.equal(relativeTime(now - 3 * 86_400_000, now), '3 d ago');
    assert.equal(relativeTime(undefined, now), 'never');
    assert.deepEqual([latency(87.4), latency(1234), latency(12_345), latency(null)], ['87 ms', '1.23 s', '12.3 s', '—']);
    assert.deepEqual([percentText(100), percentText(99.951), percentText(0), percentText(null)], ['100%', '99.95%', '0%', '—']);
    assert.deepEqual([100, 99.5, 96, 91, 50, null].map(uptimeLevel), ['0', '1', '2', '3', '4', 'n']);
    assert.equal(shortDate('2026-03-05'), 'Mar 5');
  });
});
