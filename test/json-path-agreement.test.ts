/**
 * One JSON path for the whole product: an http check's `json:` assertion and a condition's
 * `body.$…` variable must accept the same paths and find the same values (docs/json-path.md).
 * Each row runs through both, from config validation to evaluation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeOutcome } from '../src/domain/result.ts';
import { compileCondition } from '../src/conditions/compile-condition.ts';
import { createOutcomeView } from '../src/conditions/outcome-view.ts';
import { checkResponse } from '../src/probes/http/http-assertions.ts';
import { httpConfigSchema } from '../src/probes/http/http-config.ts';

const document = {
  status: 'UP',
  items: [{ id: 3 }, { id: 'x' }, { id: 7 }],
  'a.b': 'dotted',
  'x y': 'spaced',
  "it's": 'quoted',
  name: 'abc',
  nested: { length: 'own key' },
};
const body = JSON.stringify(document);

/** The http `json:` assertion's verdict on `path` expecting `expected`: true, false, or the config error. */
function viaJsonAssertion(path: string, expected: unknown): boolean | string {
  const parsed = httpConfigSchema.safeParse({ url: 'http://x.test/', json: { [path]: expected } });
  if (!parsed.success) return `config error: ${parsed.error.issues[0].message}`;
  return checkResponse(parsed.data, { statusCode: 200, headers: {}, body, truncated: false }) === undefined;
}

/** The condition `body.<path> == <expected>`'s verdict: true, false, or the config error. */
function viaCondition(path: string, expected: unknown): boolean | string {
  const compiled = compileCondition(`body.${path} == ${JSON.stringify(expected)}`);
  if (!compiled.ok) return `config error: ${compiled.error.message}`;
  const outcome: ProbeOutcome = { ok: true, latencyMs: 1, statusCode: 200, body, headers: {} };
  return compiled.condition.evaluate(outcome, createOutcomeView(outcome)).passed;
}

describe('json path: http json: assertions and conditions agree', () => {
  const rows: [path: string, expected: unknown, passes: boolean][] = [
    ['$.status', 'UP', true],
    ['$.items[0].id', 3, true],
    ['$.items[-1].id', 7, true],
    ['$.items[-3].id', 3, true],
    ['$.items[-4].id', 3, false],
    ['$.items[3].id', 3, false],
    ['$.items.length', 3, true],
    ['$.items.length', 2, false],
    ['$.name.length', 3, true],
    ['$.nested.length', 'own key', true],
    ["$['a.b']", 'dotted', true],
    ['$["a.b"]', 'dotted', true],
    ['$["x y"]', 'spaced', true],
    ["$['x y']", 'spaced', true],
    ["$['it\\'s']", 'quoted', true],
    ['$.a.b', 'dotted', false],
    ['$.missing', 1, false],
    ['$.status.length', 2, true],
  ];
  for (const [path, expected, passes] of rows) {
    it(`${path} == ${JSON.stringify(expected)} → ${passes}`, () => {
      assert.equal(viaJsonAssertion(path, expected), passes, 'http json: assertion');
      assert.equal(viaCondition(path, expected), passes, 'condition');
    });
  }

  for (const bad of ['$.items[x]', '$..deep', '$.items[*]', '$items']) {
    it(`rejects ${bad} in both`, () => {
      assert.match(String(viaJsonAssertion(bad, 1)), /^config error: .*JSON path/);
      assert.match(String(viaCondition(bad, 1)), /^config error: .*JSON path/);
    });
  }
});
