import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextHop } from './redirects.ts';

const base = new URL('http://a.test/start');
const hop = (status: number, location: string | undefined, extra: Partial<Parameters<typeof nextHop>[0]> = {}) =>
  nextHop({ status, headers: location ? { location } : {}, url: base, method: 'POST', visited: [base.href], maxRedirects: 5, ...extra });

describe('redirects', () => {
  it('ignores non-redirects and redirects without Location', () => {
    assert.equal(hop(200, '/x'), undefined);
    assert.equal(hop(302, undefined), undefined);
  });

  it('resolves relative locations and changes the method like fetch', () => {
    assert.deepEqual(hop(303, '/next#frag'), { url: new URL('http://a.test/next'), method: 'GET' });
    assert.equal((hop(302, 'https://b.test/') as { method: string }).method, 'GET');
    assert.equal((hop(307, '/keep') as { method: string }).method, 'POST');
    assert.equal((hop(308, '/keep') as { method: string }).method, 'POST');
  });

  it('names loops, long chains and bad locations', () => {
    assert.deepEqual(hop(302, '/start'), { failure: { class: 'status', message: 'redirect loop: /start → /start' } });
    const long = hop(302, '/7', { visited: ['/1', '/2', '/3', '/4', '/5', '/6'].map((p) => new URL(p, base).href) });
    assert.deepEqual(long, { failure: { class: 'status', message: 'too many redirects (more than 5; last to /7)' } });
    assert.equal((hop(302, 'ftp://files.test/') as { failure: { class: string } }).failure.class, 'protocol');
    assert.equal((hop(302, 'http://[bad') as { failure: { class: string } }).failure.class, 'protocol');
  });
});
