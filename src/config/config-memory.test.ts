import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from './load-config.ts';
import { liveHeapBytes as fullGc } from '../../test/support/live-heap.ts';

/**
 * A 16 MiB file whose values are long enough to be V8 sliced strings. The text is built here and
 * goes out of scope on return, so afterwards only what the config keeps can retain it.
 */
function parseLargeFile() {
  const pad = `# ${'x'.repeat(1023)}\n`.repeat(16 * 1024);
  const text = `${pad}checks:\n  - name: a check with a long name\n    group: a group with a long name\n    http: { url: "http://127.0.0.1:9/a/long/path", headers: { x-token: "a long header value here" } }\n`;
  return parseConfig(text, '/x.yaml', { env: {} });
}

describe('config memory', () => {
  it('keeps no slice of the file text alive (bytes after a full GC, not time)', () => {
    const before = fullGc();
    const config = parseLargeFile();
        const retained = fullGc() - before;
    assert.equal(config.checks[0].probe && (config.checks[0].probe as { url: string }).url, 'http://127.0.0.1:9/a/long/path');
    assert.equal(config.checks[0].group, 'a group with a long name');
    assert.ok(retained < 8 * 1024 * 1024, `${(retained / 2 ** 20).toFixed(1)} MiB retained after parsing a 16 MiB file`);
  });

  it('shares equal sub-objects between checks, frozen, and keeps each probe config its own', () => {
    const lines = ['checks:'];
    for (const name of ['a', 'b', 'c']) lines.push(`  - { name: ${name}, http: { url: "http://127.0.0.1:9/${name}" } }`);
    lines.push('  - { name: d, regions: [eu, us], downAfter: 2, conditions: ["status == 200"], http: { url: "http://127.0.0.1:9/d", tls: { verify: false } } }');
    const [a, b, c, d] = parseConfig(`${lines.join('\n')}\n`, '/x.yaml', { env: {} }).checks;
    const probe = (check: typeof a) => check.probe as { url: string; tls: object; expectStatus: object };
    for (const other of [b, c]) {
      assert.equal(other.confirm, a.confirm, 'confirm shared');
      assert.equal(other.regions, a.regions, 'regions shared');
      assert.equal(other.conditions, a.conditions, 'conditions shared');
      assert.equal(probe(other).tls, probe(a).tls, 'default tls shared');
      assert.equal(probe(other).expectStatus, probe(a).expectStatus, 'default expectStatus shared');
      assert.notEqual(other.probe, a.probe, 'each check has its own probe config');
    }
    assert.deepEqual([a.regions, b.regions, d.regions], [['local'], ['local'], ['eu', 'us']]);
    assert.notEqual(d.confirm, a.confirm);
    assert.deepEqual(d.confirm.downAfter, { count: 2, of: 2 });
    assert.deepEqual(probe(d).tls, { verify: false });
    assert.deepEqual(probe(a).tls, { verify: true }, 'a different value is not shared');
    assert.deepEqual(d.conditions, ['status == 200']);
    assert.ok(Object.isFrozen(a.confirm) && Object.isFrozen(a.regions) && Object.isFrozen(probe(a).tls), 'shared values are frozen');
    assert.throws(() => (a.regions as string[]).push('eu'), TypeError);
  });

  it('holds one copy of an http check\'s URL and no slots for unset optional fields (bytes after a full GC)', (t) => {
    const count = 5_000;
    const path = 'p'.repeat(300);
    const parse = () => {
      const lines = ['checks:'];
      for (let i = 0; i < count; i++) lines.push(`  - { name: c${i}, http: { url: "http://127.0.0.1:9/${path}/${i}" } }`);
      return parseConfig(`${lines.join('\n')}\n`, '/x.yaml', { env: {} });
    };
    // the first parse compiles the loader's code: not part of the figure (and its result must be
    // unreachable by the baseline, hence its own frame)
    const warm = () => void parse().checks.length;
    warm();
    const before = fullGc();
    const config = parse();
    const perCheck = (fullGc() - before) / count;
    t.diagnostic(`${perCheck.toFixed(0)} bytes per check`);
    const first = config.checks[0];
    assert.equal(first.target, (first.probe as { url: string }).url);
    assert.deepEqual(
      ['group', 'description', 'degradedAfterMs'].filter((key) => key in first),
      [],
      'unset optional fields are left out',
    );
    // the URL alone is ~330 bytes: with a second copy for the target and undefined fields this was
    // 909 bytes (586 without)
    assert.ok(perCheck < 800, `${perCheck.toFixed(0)} bytes per check held by the config`);
  });
});
