import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maintenanceConfigSchema } from './maintenance-config.ts';

const parse = (windows: unknown) => maintenanceConfigSchema.safeParse(windows);

describe('maintenanceConfigSchema: valid windows', () => {
  it('reads a one-off window as epoch ms, honouring the offset', () => {
    const result = parse([
      { name: 'db-upgrade', title: 'Database upgrade', description: 'v17', checks: ['api'], start: '2026-12-01T22:00:00+01:00', end: '2026-12-02T01:00:00+01:00' },
    ]);
    assert.ok(result.success, JSON.stringify(result.error?.issues));
    assert.deepEqual(result.data, [
      {
        name: 'db-upgrade',
        title: 'Database upgrade',
        description: 'v17',
        checks: ['api'],
        kind: 'once',
        start: Date.parse('2026-12-01T21:00:00Z'),
        end: Date.parse('2026-12-02T00:00:00Z'),
      },
    ]);
  });

  it('reads a recurring window with a canonical time zone (default UTC)', () => {
    const result = parse([
      { name: 'backup', groups: ['Storage'], cron: '0 3 * * SUN', duration: '30m', timezone: 'europe/berlin' },
      { title: 'Nightly', cron: '*/15 2-4 * * 1-5', duration: 600 },
    ]);
    assert.ok(result.success, JSON.stringify(result.error?.issues));
    assert.deepEqual(result.data, [
      { name: 'backup', title: 'backup', groups: ['Storage'], kind: 'recurring', cron: '0 3 * * SUN', durationMs: 1_800_000, timezone: 'Europe/Berlin' },
      { name: 'Nightly', title: 'Nightly', kind: 'recurring', cron: '*/15 2-4 * * 1-5', durationMs: 600_000, timezone: 'UTC' },
    ]);
  });

  it('accepts Z, compact offsets, a space separator and Date objects (YAML 1.1 timestamps)', () => {
    const result = parse([
      { name: 'a', start: '2026-01-01T10:00Z', end: '2026-01-01 12:00:00.500+0200' },
      { name: 'b', start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T00:00:00Z') },
    ]);
    assert.ok(result.success, JSON.stringify(result.error?.issues));
    assert.deepEqual(
      result.data!.map((w) => (w.kind === 'once' ? [w.start, w.end] : [])),
      [
        [Date.parse('2026-01-01T10:00:00Z'), Date.parse('2026-01-01T10:00:00.500Z')],
        [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-02T00:00:00Z')],
      ],
    );
  });

  it('may be absent', () => {
    assert.equal(maintenanceConfigSchema.parse(undefined), undefined);
  });
});

describe('maintenanceConfigSchema: validation errors name the field', () => {
  const once = { name: 'w', start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' };
  const recurring = { name: 'w', cron: '0 3 * * *', duration: '1h' };
  const cases: [string, unknown, (string | number)[], RegExp][] = [
    ['end before start', { ...once, end: '2025-12-31T23:00:00Z' }, [0, 'end'], /must be after start/],
    ['end equal to start', { ...once, end: once.start }, [0, 'end'], /must be after start/],
    ['start without end', { name: 'w', start: once.start }, [0, 'end'], /is required with start/],
    ['end without start', { name: 'w', end: once.end }, [0, 'start'], /is required with end/],
    ['timestamp without offset', { ...once, start: '2026-01-01T00:00:00' }, [0, 'start'], /ISO-8601 timestamp with an offset/],
    ['impossible date', { ...once, start: '2026-02-30T00:00:00Z' }, [0, 'start'], /ISO-8601/],
    ['impossible hour', { ...once, end: '2026-01-01T24:30:00Z' }, [0, 'end'], /ISO-8601/],
    ['both kinds', { ...once, cron: '0 3 * * *', duration: '1h' }, [0], /either start \+ end .* or cron \+ duration/],
    ['neither kind', { name: 'w', checks: ['api'] }, [0], /needs start \+ end .* or cron \+ duration/],
    ['no name or title', { start: once.start, end: once.end }, [0], /needs a name/],
    ['cron without duration', { name: 'w', cron: '0 3 * * *' }, [0, 'duration'], /is required with cron/],
    ['duration without cron', { name: 'w', duration: '1h' }, [0, 'cron'], /is required with duration/],
    ['cron with 4 fields', { ...recurring, cron: '0 3 * *' }, [0, 'cron'], /must have 5 fields/],
    ['cron with 6 fields', { ...recurring, cron: '0 0 3 * * *' }, [0, 'cron'], /must have 5 fields/],
    ['cron out of range', { ...recurring, cron: '61 3 * * *' }, [0, 'cron'], /invalid cron expression "61 3 \* \* \*": .*0-59/],
    ['cron alias unknown', { ...recurring, cron: '0 3 * * FOO' }, [0, 'cron'], /invalid cron expression/],
    ['cron day never exists', { ...recurring, cron: '0 3 30 2 *' }, [0, 'cron'], /invalid cron expression/],
    ['cron with random H', { ...recurring, cron: 'H 3 * * *' }, [0, 'cron'], /H \(random\)/],
    ['unknown time zone', { ...recurring, timezone: 'Europe/Berln' }, [0, 'timezone'], /unknown time zone "Europe\/Berln"/],
    ['time zone on a one-off', { ...once, timezone: 'UTC' }, [0, 'timezone'], /applies only to cron windows/],
    ['zero duration', { ...recurring, duration: '0s' }, [0, 'duration'], /more than 0/],
    ['duration too long', { ...recurring, duration: '32d' }, [0, 'duration'], /at most 31d/],
    ['bad duration', { ...recurring, duration: 'soon' }, [0, 'duration'], /must be a duration/],
    ['empty checks list', { ...once, checks: [] }, [0, 'checks'], /at least one check/],
    ['unknown key', { ...once, windows: 1 }, [0], /windows/],
  ];
  for (const [label, window, path, message] of cases) {
    it(label, () => {
      const result = parse([window]);
      assert.equal(result.success, false, 'should be rejected');
      const issue = result.error!.issues.find((i) => message.test(i.message) || message.test(JSON.stringify(i)));
      assert.ok(issue, `no issue matching ${message} in ${JSON.stringify(result.error!.issues)}`);
      assert.deepEqual(issue.path, path);
    });
  }

  it('rejects duplicate window names, pointing at the second', () => {
    const result = parse([once, { ...once }]);
    assert.equal(result.success, false);
    assert.deepEqual(
      result.error!.issues.map((i) => [i.path, i.message]),
      [[[1, 'name'], 'duplicate window name "w" (also maintenance[0])']],
    );
  });
});
