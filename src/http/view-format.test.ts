import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clockTime, timeRange } from './view-format.ts';

const AT = Date.UTC(2026, 0, 10, 9, 12, 5);

describe('one time format, in the page time zone', () => {
  it('writes every instant as YYYY-MM-DD HH:MM:SS and its zone', () => {
    assert.equal(clockTime(AT), '2026-01-10 09:12:05 UTC');
    assert.equal(clockTime(AT, 'Europe/Berlin'), '2026-01-10 10:12:05 GMT+1');
    assert.equal(clockTime(Date.UTC(2026, 6, 1, 22, 0, 0), 'Europe/Berlin'), '2026-07-02 00:00:00 GMT+2');
    assert.equal(clockTime(AT, 'Asia/Tokyo'), '2026-01-10 18:12:05 GMT+9');
  });

  it('writes windows in the same format, in the page zone', () => {
    assert.equal(timeRange(AT, AT + 3_600_000), '2026-01-10 09:12 – 10:12 UTC');
    assert.equal(timeRange(Date.UTC(2026, 0, 10, 22, 30), Date.UTC(2026, 0, 11, 1, 0), 'Europe/Berlin'), '2026-01-10 23:30 – 2026-01-11 02:00 GMT+1');
  });
});

describe('page.timeZone', () => {
  it('accepts IANA zones and refuses anything else with a clear message', async () => {
    const { pageConfigSchema } = await import('./page-config.ts');
    assert.equal(pageConfigSchema.parse({ timeZone: 'europe/berlin' }).timeZone, 'Europe/Berlin');
    const bad = pageConfigSchema.safeParse({ timeZone: 'Mars/Olympus' });
    assert.equal(bad.success, false);
    assert.match(bad.error?.issues[0].message ?? '', /IANA time zone/);
    assert.deepEqual(bad.error?.issues[0].path, ['timeZone']);
  });
});
