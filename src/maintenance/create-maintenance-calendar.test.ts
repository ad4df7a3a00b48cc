import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { CronExpression } from 'cron-parser';
import { maintenanceConfigSchema } from './maintenance-config.ts';
import { createMaintenanceCalendar, validateMaintenanceTargets, type CalendarCheck } from './create-maintenance-calendar.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const windows = (raw: unknown[]) => maintenanceConfigSchema.parse(raw) ?? [];

const CHECKS: CalendarCheck[] = [
  { name: 'api', group: 'Core' },
  { name: 'web', group: 'Core' },
  { name: 'db', group: 'Storage' },
  { name: 's3', group: 'Storage' },
  { name: 'docs' },
];

/**
 * Counts the cron-parser steps (`next()`/`prev()`) `run` makes: the costly part of a recurring
 * window. A count, unlike a stopwatch, means the same on a busy machine.
 */
function cronSteps(run: () => void): number {
  const next = mock.method(CronExpression.prototype, 'next');
  const prev = mock.method(CronExpression.prototype, 'prev');
  try {
    run();
    return next.mock.callCount() + prev.mock.callCount();
  } finally {
    next.mock.restore();
    prev.mock.restore();
  }
}

/** Names of the checks covered at `time`, and the open window's span. */
function covered(calendar: ReturnType<typeof createMaintenanceCalendar>, time: string): string[] {
  return CHECKS.filter((check) => calendar.activeFor(check.name, at(time))).map((check) => check.name);
}

describe('createMaintenanceCalendar: one-off windows', () => {
  const calendar = createMaintenanceCalendar(
    windows([{ name: 'upgrade', title: 'DB upgrade', description: 'v17', checks: ['db'], start: '2026-12-01T22:00:00+01:00', end: '2026-12-02T01:00:00+01:00' }]),
    CHECKS,
  );

  const cases: [string, string[]][] = [
    ['2026-12-01T20:59:59.999Z', []],
    ['2026-12-01T21:00:00.000Z', ['db']], // start is inclusive
    ['2026-12-01T23:30:00.000Z', ['db']],
    ['2026-12-01T23:59:59.999Z', ['db']],
    ['2026-12-02T00:00:00.000Z', []], // end is exclusive
  ];
  for (const [time, expected] of cases) it(`at ${time} covers [${expected}]`, () => assert.deepEqual(covered(calendar, time), expected));

  it('describes the open window', () => {
    assert.deepEqual(calendar.activeFor('db', at('2026-12-01T22:00:00Z')), {
      name: 'upgrade',
      title: 'DB upgrade',
      description: 'v17',
      start: at('2026-12-01T21:00:00Z'),
      end: at('2026-12-02T00:00:00Z'),
    });
  });
});

describe('createMaintenanceCalendar: targeting', () => {
  const calendar = createMaintenanceCalendar(
    windows([
      { name: 'storage', groups: ['Storage'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' },
      { name: 'mixed', checks: ['docs'], groups: ['Core'], start: '2026-01-02T00:00:00Z', end: '2026-01-02T01:00:00Z' },
      { name: 'everything', start: '2026-01-03T00:00:00Z', end: '2026-01-03T01:00:00Z' },
    ]),
    CHECKS,
  );

  it('a groups window covers the checks of those groups only', () => {
    assert.deepEqual(covered(calendar, '2026-01-01T00:30:00Z'), ['db', 's3']);
  });
  it('checks and groups together cover their union', () => {
    assert.deepEqual(covered(calendar, '2026-01-02T00:30:00Z'), ['api', 'web', 'docs']);
  });
  it('a window with neither covers every check, even one the calendar was not built with', () => {
    assert.deepEqual(covered(calendar, '2026-01-03T00:30:00Z'), ['api', 'web', 'db', 's3', 'docs']);
    assert.equal(calendar.activeFor('added-later', at('2026-01-03T00:30:00Z'))?.name, 'everything');
    assert.equal(calendar.activeFor('added-later', at('2026-01-01T00:30:00Z')), undefined);
  });
  it('an empty calendar covers nothing', () => {
    const empty = createMaintenanceCalendar(undefined, CHECKS);
    assert.equal(empty.activeFor('api', Date.now()), undefined);
    assert.deepEqual(empty.upcoming(0, Date.now()), []);
  });
  it('picks the overlapping window that ends last', () => {
    const overlapping = createMaintenanceCalendar(
      windows([
        { name: 'short', checks: ['api'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' },
        { name: 'long', checks: ['api'], start: '2026-01-01T00:30:00Z', end: '2026-01-01T03:00:00Z' },
      ]),
      CHECKS,
    );
    assert.equal(overlapping.activeFor('api', at('2026-01-01T00:15:00Z'))?.name, 'short');
    assert.equal(overlapping.activeFor('api', at('2026-01-01T00:45:00Z'))?.name, 'long');
  });
});

describe('createMaintenanceCalendar: recurring windows', () => {
  it('opens daily in UTC for the duration', () => {
    const calendar = createMaintenanceCalendar(windows([{ name: 'nightly', cron: '0 3 * * *', duration: '30m', checks: ['api'] }]), CHECKS);
    const cases: [string, string | undefined][] = [
      ['2026-05-10T02:59:59Z', undefined],
      ['2026-05-10T03:00:00Z', '2026-05-10T03:00:00.000Z'],
      ['2026-05-10T03:29:59Z', '2026-05-10T03:00:00.000Z'],
      ['2026-05-10T03:30:00Z', undefined],
      ['2026-05-11T03:10:00Z', '2026-05-11T03:00:00.000Z'],
      ['2026-05-09T03:10:00Z', '2026-05-09T03:00:00.000Z'], // going back in time uses the cache correctly
    ];
    for (const [time, start] of cases) {
      const open = calendar.activeFor('api', at(time));
      assert.equal(open && iso(open.start), start, time);
      if (open) assert.equal(open.end - open.start, 30 * 60_000);
    }
    assert.equal(calendar.activeFor('web', at('2026-05-10T03:10:00Z')), undefined);
  });

  it('follows the time zone across DST in Europe/Berlin (03:00 local is 02:00Z in winter, 01:00Z in summer)', () => {
    const calendar = createMaintenanceCalendar(
      windows([{ name: 'backup', cron: '0 3 * * *', duration: '1h', timezone: 'Europe/Berlin', groups: ['Storage'] }]),
      CHECKS,
    );
    const cases: [string, boolean][] = [
      ['2026-03-28T02:30:00Z', true], // CET: 03:30 local
      ['2026-03-28T01:30:00Z', false],
      ['2026-03-29T01:30:00Z', true], // first CEST morning: 03:30 local
      ['2026-03-29T02:30:00Z', false],
      ['2026-10-25T01:30:00Z', false], // back to CET: 02:30 local
      ['2026-10-25T02:30:00Z', true],
    ];
    for (const [time, open] of cases) assert.equal(Boolean(calendar.activeFor('db', at(time))), open, time);
  });

  it('moves a start inside the spring-forward gap past it, and runs a daily start once on the fall-back day', () => {
    const calendar = createMaintenanceCalendar(
      windows([{ name: 'gap', cron: '30 2 * * *', duration: '1h', timezone: 'Europe/Berlin' }]),
      CHECKS,
    );
    // 2026-03-29 02:30 does not exist in Berlin: the window opens at 03:30 CEST = 01:30Z.
    assert.equal(iso(calendar.activeFor('api', at('2026-03-29T01:45:00Z'))!.start), '2026-03-29T01:30:00.000Z');
    assert.equal(calendar.activeFor('api', at('2026-03-29T00:45:00Z')), undefined);
    // 2026-10-25 02:30 happens twice (CEST then CET): one window, at the first.
    assert.equal(iso(calendar.activeFor('api', at('2026-10-25T00:45:00Z'))!.start), '2026-10-25T00:30:00.000Z');
    assert.equal(calendar.activeFor('api', at('2026-10-25T01:45:00Z')), undefined);
    const starts = calendar.upcoming(at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z')).map((w) => iso(w.start));
    assert.deepEqual(starts, ['2026-03-27T01:30:00.000Z', '2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('measures duration as elapsed time, so a window spanning the fall-back hour ends an hour earlier on the wall clock', () => {
    const calendar = createMaintenanceCalendar(
      windows([{ name: 'long', cron: '0 1 * * *', duration: '2h', timezone: 'Europe/Berlin' }]),
      CHECKS,
    );
    const open = calendar.activeFor('api', at('2026-10-25T00:00:00Z'))!; // 02:00 CEST
    assert.equal(iso(open.start), '2026-10-24T23:00:00.000Z'); // 01:00 CEST
    assert.equal(iso(open.end), '2026-10-25T01:00:00.000Z'); // 02:00 CET
  });

  it('opens on weekdays only when the cron says so', () => {
    const calendar = createMaintenanceCalendar(windows([{ name: 'weekday', cron: '0 12 * * 1-5', duration: '1h' }]), CHECKS);
    assert.ok(calendar.activeFor('api', at('2026-11-27T12:30:00Z')), 'Friday');
    assert.equal(calendar.activeFor('api', at('2026-11-28T12:30:00Z')), undefined, 'Saturday');
  });
});

describe('createMaintenanceCalendar: upcoming', () => {
  const calendar = createMaintenanceCalendar(
    windows([
      { name: 'nightly', cron: '0 3 * * *', duration: '30m', groups: ['Storage'] },
      { name: 'upgrade', title: 'Upgrade', checks: ['api'], start: '2026-05-10T12:00:00Z', end: '2026-05-10T13:00:00Z' },
      { name: 'old', checks: ['api'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' },
    ]),
    CHECKS,
  );

  it('lists occurrences overlapping the range by start, including one already in progress', () => {
    const list = calendar.upcoming(at('2026-05-10T03:15:00Z'), at('2026-05-12T00:00:00Z'));
    assert.deepEqual(
      list.map((w) => [w.name, iso(w.start), iso(w.end), w.checks, w.allChecks]),
      [
        ['nightly', '2026-05-10T03:00:00.000Z', '2026-05-10T03:30:00.000Z', ['db', 's3'], false],
        ['upgrade', '2026-05-10T12:00:00.000Z', '2026-05-10T13:00:00.000Z', ['api'], false],
        ['nightly', '2026-05-11T03:00:00.000Z', '2026-05-11T03:30:00.000Z', ['db', 's3'], false],
      ],
    );
  });

  it('caps a frequent recurrence instead of looping over a long range', () => {
    const minutely = createMaintenanceCalendar(windows([{ name: 'm', cron: '* * * * *', duration: '30s' }]), CHECKS);
    let list: ReturnType<typeof minutely.upcoming> = [];
    // a year of minutes is 525,600 starts; the cap stops the walk after the 500th
    const steps = cronSteps(() => (list = minutely.upcoming(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))));
    assert.equal(list.length, 500);
    assert.equal(list[0].allChecks, true);
    assert.ok(steps <= 2 * 500, `${steps} cron steps for 500 occurrences`);
  });
});

describe('createMaintenanceCalendar: cost per result', () => {
  it('answers activeFor from precomputed targets and cached occurrences', () => {
    // The time per call is a benchmark figure (bench/maintenance/calendar-timing.ts); here the
    // work is counted: cron steps happen only when a result crosses into a new bracket between
    // two starts of a window, never per call.
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `w${i}`, cron: `${i} 3 * * *`, duration: '10m', groups: ['Storage'] }));
    const calendar = createMaintenanceCalendar(windows(many), CHECKS);
    const start = at('2026-05-10T00:00:00Z');
    const calls = 100_000;
    let open = 0;
    // results arrive over ~28 hours, each check every few seconds
    const steps = cronSteps(() => {
      for (let i = 0; i < calls; i++) if (calendar.activeFor(CHECKS[i % CHECKS.length].name, start + i * 1000)) open++;
    });
    // Storage checks (2 of 5) are covered from 03:00 to 03:29 each day: 1740 s of the 100000 s, twice.
    assert.ok(open > 0 && open < calls / 10, `open ${open}`);
    // 20 windows × 3 brackets (before the first 03:xx start, then one per day) × 2 steps each,
    // plus a few walking steps: about a hundred, where uncached lookups would make 2 per window
    // per Storage result (800,000).
    assert.ok(steps > 0 && steps <= 20 * 3 * 4, `${steps} cron steps for ${calls} activeFor calls`);
    // A check no window targets costs no cron work at all.
    assert.equal(cronSteps(() => calendar.activeFor('api', start + 3 * 3_600_000 + 60_000)), 0);
  });
});

describe('validateMaintenanceTargets', () => {
  it('names unknown checks and groups by path', () => {
    const issues = validateMaintenanceTargets(
      windows([
        { name: 'a', checks: ['api', 'nope'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' },
        { name: 'b', groups: ['Storage', 'Ghost'], cron: '0 3 * * *', duration: '1h' },
      ]),
      CHECKS,
    );
    assert.deepEqual(issues, [
      { path: ['maintenance', 0, 'checks', 1], message: 'unknown check "nope"' },
      { path: ['maintenance', 1, 'groups', 1], message: 'no check is in group "Ghost"' },
    ]);
  });
});
