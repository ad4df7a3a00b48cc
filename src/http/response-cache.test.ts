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
