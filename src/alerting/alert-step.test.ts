import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRecord } from '../domain/alert.ts';
import type { AlertRule } from './rules/alert-rule.ts';
import { stepAlert } from './alert-step.ts';
import type { Verdict } from './rules/evaluate-rule.ts';

const rule = (extra: Partial<AlertRule> = {}): AlertRule => ({ kind: 'down', periods: { count: 1, of: 1 }, sendOnResolved: true, ...extra }) as AlertRule;

/** Runs verdicts through the machine, returning the notifications sent and the final record. */
function run(r: AlertRule, verdicts: (Verdict | [Verdict, number])[]): { sent: string[]; record?: AlertRecord; writes: number } {
  let record: AlertRecord | undefined;
  const sent: string[] = [];
  let writes = 0;
  let now = 0;
  for (const item of verdicts) {
    const [verdict, at] = Array.isArray(item) ? item : [item, now + 60_000];
    now = at;
    const step = stepAlert(record, r, 'api', { verdict }, now);
    if (step.write) {
      writes++;
      assert.equal(step.record.version, (record?.version ?? 0) + 1, 'each write advances the version by one');
    }
    if (step.notify) sent.push(step.notify);
    record = step.record;
  }
  return { sent, record, writes };
}

const B = 'breaching' as const;
const O = 'ok' as const;
const I = 'insufficient' as const;

describe('stepAlert', () => {
  it('fires on OK→ALARM and resolves on ALARM→OK, once each', () => {
    const { sent, record } = run(rule(), [O, O, B, B, B, O, O]);
    assert.deepEqual(sent, ['firing', 'resolved']);
    assert.equal(record!.state, 'OK');
    assert.equal(record!.key, 'down:api');
  });

  it('needs `count` of `of` breaching evaluations to fire and `count` OK in a row to resolve', () => {
    const r = rule({ periods: { count: 3, of: 5 } });
    assert.deepEqual(run(r, [B, O, B, O, O]).sent, [], '2 of 5 is not enough');
    const flapping = run(r, [B, O, B, O, B, O, B, O, B, O, B]);
    assert.deepEqual(flapping.sent, ['firing'], 'a flapping service fires once and stays in alarm');
    assert.deepEqual(run(r, [B, O, B, O, B, O, O, O]).sent, ['firing', 'resolved']);
    // after a resolve the history restarts: one more breach does not re-fire
    assert.deepEqual(run(r, [B, B, B, O, O, O, B]).sent, ['firing', 'resolved']);
  });

  it('never resolves on missing data, and records OK ↔ INSUFFICIENT_DATA silently', () => {
    const gap = run(rule(), [B, I, I]);
    assert.deepEqual(gap.sent, ['firing']);
    assert.equal(gap.record!.state, 'ALARM');
    const quiet = run(rule(), [I, O, I, O]);
    assert.deepEqual(quiet.sent, []);
    assert.equal(quiet.writes, 4);
    assert.equal(run(rule(), [O, O, O]).writes, 1, 'a steady state is written once');
  });

  it('sends reminders every repeatEvery while in ALARM', () => {
    const r = rule({ repeatEveryMs: 5 * 60_000 });
    const { sent } = run(r, [[B, 0], [B, 60_000], [B, 299_999], [B, 300_000], [B, 400_000], [I, 600_000], [O, 700_000]]);
    assert.deepEqual(sent, ['firing', 'reminder', 'reminder', 'resolved']);
  });

  it('`for: 2m` fires after two minutes of breaching whatever the interval, and resolves after two minutes OK', () => {
    const r = rule({ forMs: 120_000 });
    for (const every of [10_000, 30_000, 60_000]) {
      const times = Array.from({ length: 480_000 / every }, (_, i) => i * every);
      const breaching = times.filter((t) => t < 200_000);
      const timeline: [Verdict, number][] = times.map((t) => [t < 200_000 ? B : O, t]);
      let record: AlertRecord | undefined;
      const at: Record<string, number> = {};
      for (const [verdict, now] of timeline) {
        const step = stepAlert(record, r, 'api', { verdict }, now);
        if (step.notify) at[step.notify] = now;
        record = step.record;
      }
      assert.equal(at.firing, 120_000, `interval ${every}: fires two minutes after the first breach`);
      const firstOk = breaching.length * every;
      assert.equal(at.resolved, firstOk + 120_000, `interval ${every}: resolves two minutes after the first OK`);
    }
    // an OK in between starts the two minutes again
    assert.deepEqual(run(r, [[B, 0], [B, 60_000], [O, 90_000], [B, 100_000], [B, 200_000], [B, 220_000]]).sent, ['firing']);
    assert.deepEqual(run(r, [[B, 0], [B, 60_000], [O, 90_000], [B, 100_000], [B, 200_000]]).sent, []);
  });

  it('can stay quiet on resolve', () => {
    const { sent, record } = run(rule({ sendOnResolved: false }), [B, O]);
    assert.deepEqual(sent, ['firing']);
    assert.equal(record!.state, 'OK');
  });
});
