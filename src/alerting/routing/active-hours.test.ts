import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withinActiveHours } from './active-hours.ts';
import { activeHoursSchema } from './active-hours-schema.ts';

const utc = (text: string) => Date.parse(`${text}Z`);

describe('active hours', () => {
  it('reads weekdays and hours in the route time zone, across daylight saving time', () => {
    const hours = activeHoursSchema.parse({ days: ['mon-fri'], from: '09:00', to: '18:00', timeZone: 'Europe/Berlin' });
    assert.equal(withinActiveHours(hours, utc('2026-01-11T02:00:00')), false, 'Sunday 03:00 Berlin');
    assert.equal(withinActiveHours(hours, utc('2026-01-12T08:00:00')), true, 'Monday 09:00 Berlin (UTC+1)');
    assert.equal(withinActiveHours(hours, utc('2026-01-12T07:59:00')), false, 'Monday 08:59 Berlin');
    assert.equal(withinActiveHours(hours, utc('2026-01-16T17:00:00')), false, 'Friday 18:00 Berlin: `to` is exclusive');
    assert.equal(withinActiveHours(hours, utc('2026-07-06T07:00:00')), true, 'Monday 09:00 Berlin in summer (UTC+2)');
    assert.equal(withinActiveHours(hours, utc('2026-07-06T06:30:00')), false, 'Monday 08:30 Berlin in summer');
  });

  it('an overnight window belongs to the day it starts on; a list is any of its windows', () => {
    const night = activeHoursSchema.parse({ days: ['fri'], from: '22:00', to: '06:00' });
    assert.equal(withinActiveHours(night, utc('2026-01-16T23:00:00')), true, 'Friday 23:00');
    assert.equal(withinActiveHours(night, utc('2026-01-17T05:59:00')), true, 'Saturday 05:59');
    assert.equal(withinActiveHours(night, utc('2026-01-17T06:00:00')), false, 'Saturday 06:00');
    assert.equal(withinActiveHours(night, utc('2026-01-15T23:00:00')), false, 'Thursday 23:00');
    const weekend = activeHoursSchema.parse([{ days: ['sat-sun'] }, { days: ['wed'], from: '12:00', to: '24:00' }]);
    assert.equal(withinActiveHours(weekend, utc('2026-01-11T23:59:00')), true, 'Sunday, whole day');
    assert.equal(withinActiveHours(weekend, utc('2026-01-14T23:59:00')), true, 'Wednesday 23:59 (to 24:00)');
    assert.equal(withinActiveHours(weekend, utc('2026-01-12T12:00:00')), false, 'Monday');
  });

  it('refuses equal from and to, bad days and bad times', () => {
    assert.equal(activeHoursSchema.safeParse({ from: '09:00', to: '09:00' }).success, false);
    assert.equal(activeHoursSchema.safeParse({ days: ['weekdays'] }).success, false);
    assert.equal(activeHoursSchema.safeParse({ from: '25:00' }).success, false);
    assert.equal(activeHoursSchema.safeParse({ timeZone: 'Mars/Olympus' }).success, false);
  });
});
