import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseConfigFast } from './fast-yaml.ts';

const LIMITS = { maxDepth: 64, maxValues: 8_000_000 };
const keep = (s: string) => s;
const fast = (text: string) => parseConfigFast(text, LIMITS, keep);
/** What the slow path (`yaml`, YAML 1.2 core schema with merge keys) makes of the same text. */
const slow = (text: string) => parse(text, { merge: true, uniqueKeys: true });

/** Scalars whose meaning differs between YAML versions and parsers. */
const SCALARS = [
  '0777', '0o17', '0x1F', '0b101', '-0x1', '+0o7', '1_000', '+12', '-0', '.5', '1.', '1e3', '1.5e+3', '-1E-2',
  '.inf', '-.Inf', '+.INF', '.NaN', '~', 'null', 'Null', 'NULL', '', 'true', 'True', 'TRUE', 'false',
  'yes', 'no', 'on', 'off', 'y', 'n', '2026-01-01', '2026-01-01T10:00:00Z', '12:30', '1:20:30', '0.1',
  '"x"', "'y'", '=', '60s', '5m', '[1, 2]', '{a: 1}', '"\\u00e9\\t"', '|\n  two\n  lines', '>-\n  folded\n  text',
];

describe('fast config parsing', () => {
  it('reads every scalar exactly as the slow path does (YAML 1.2 core schema)', () => {
    for (const scalar of SCALARS) {
      const text = `v: ${scalar}\n`;
      assert.deepEqual(fast(text)?.value, slow(text), `v: ${scalar}`);
    }
  });

  it('reads the bundled configs exactly as the slow path does', () => {
    for (const file of ['examples/upstate.yaml', 'examples/public-services.yaml', 'deploy/aws/upstate.yaml']) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      assert.deepEqual(fast(text)?.value, slow(text), file);
    }
  });

  it('merges shared blocks as the slow path does', () => {
    const text = 'x-d: &d {interval: 30s, http: {method: GET}}\nchecks:\n  - {<<: *d, name: a}\n  - <<: *d\n    name: b\n    interval: 5s\n';
    assert.deepEqual(fast(text)?.value, slow(text));
  });

  it('leaves to the slow path everything it must report', () => {
    const refused = {
      'syntax error': 'a: [1, 2\n',
      'duplicate key': 'a: 1\na: 2\n',
      'undefined alias': 'a: *nowhere\n',
      'unknown tag': 'a: !!binary aGk=\n',
      'several documents': 'a: 1\n---\nb: 2\n',
      'deep nesting': `${'['.repeat(70)}${']'.repeat(70)}\n`,
      'alias bomb': ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n'),
    };
    for (const [what, text] of Object.entries(refused)) assert.equal(fast(text), undefined, what);
  });

  it('substitutes values and keys once each, even when aliases share them, and gives up on an unset variable', () => {
    const env: Record<string, string> = { HOST: 'db.internal', KEY: 'k1' };
    const substitute = (s: string) => {
      let unset = false;
      const out = s.replace(/\$\$|\$\{(\w+)\}/g, (m, name) => (m === '$$' ? '$' : (env[name] ?? ((unset = true), ''))));
      return unset ? undefined : out;
    };
    const text = 'a: &a {url: "http://${HOST}/", literal: "$${HOST}"}\nb: *a\n"${KEY}": x\n';
    const parsed = parseConfigFast(text, LIMITS, substitute)?.value as Record<string, Record<string, string>>;
    assert.deepEqual(parsed.a, { url: 'http://db.internal/', literal: '${HOST}' });
    assert.equal(parsed.b, parsed.a);
    assert.deepEqual(Object.keys(parsed), ['a', 'b', 'k1']);
    assert.equal(parseConfigFast('a: ${MISSING}\n', LIMITS, substitute), undefined);
  });
});
