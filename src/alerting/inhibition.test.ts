import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRecord } from '../domain/alert.ts';
import { alertsConfigSchema } from './alerts-config.ts';
import { rulesForCheck } from './rules/resolve-rules.ts';
import { applyInhibition, inhibitedByDown } from './inhibition.ts';

const NOW = 1_000_000_000;
const rules = rulesForCheck(alertsConfigSchema.parse({ defaults: { faults: '5% over 5m', certificate: '14d' } }), { name: 'api', kind: 'http' });
const faults = rules.find((r) => r.kind === 'faults')!;
const certificate = rules.find((r) => r.kind === 'certificate')!;
const record = (changes: Partial<AlertRecord>): AlertRecord => ({ key: 'x', rule: 'down', check: 'api', state: 'OK', since: NOW, evaluations: [], version: 3, ...changes });

describe('inhibition by down', () => {
  it('holds while down is in alarm and for one window of the inhibited rule after a sent resolve', () => {
    assert.equal(inhibitedByDown(faults, record({ state: 'ALARM' }), NOW), true);
    assert.equal(inhibitedByDown(certificate, record({ state: 'ALARM' }), NOW), false, 'certificate is never inhibited');
    const resolved = record({ state: 'OK', since: NOW, lastNotifiedAt: NOW });
    assert.equal(inhibitedByDown(faults, resolved, NOW + 4 * 60_000), true);
    assert.equal(inhibitedByDown(faults, resolved, NOW + 5 * 60_000), false);
    assert.equal(inhibitedByDown(faults, record({ state: 'OK', since: NOW }), NOW + 1), false, 'a first OK after start inhibits nothing');
    assert.equal(inhibitedByDown(faults, undefined, NOW), false, 'no down rule, no inhibition');
  });

  it('mutes a firing while inhibited, and sends it once the inhibition ends with the alert still in alarm', () => {
    const firing = { write: true, notify: 'firing' as const, record: record({ rule: 'faults', state: 'ALARM', version: 4 }) };
    const muted = applyInhibition(firing, true, NOW);
    assert.deepEqual([muted.notify, muted.record.muted], [undefined, true]);
    const later = applyInhibition({ write: false, record: muted.record }, false, NOW + 60_000);
    assert.deepEqual([later.write, later.notify, later.record.muted, later.record.version], [true, 'firing', undefined, 5]);
  });
});
