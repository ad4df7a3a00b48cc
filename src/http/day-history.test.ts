import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import type { CheckResult } from '../domain/result.ts';
import type { StatusComponent } from '../status/status-model.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const DAY_START = Date.UTC(2026, 2, 13);

/**
 * A day with 6 hours degraded, a day with 2 hours in maintenance and a day with 30 minutes down,
 * from one-minute results stored through the real store: each leaves its own trace in the
 * 90-day history (colour and tooltip), and a slow day is not "solid green, 100%".
 */
describe('90-day history: degraded and maintenance days', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    const out: CheckResult[] = [];
    for (let m = 0; m < 24 * 60; m++) {
      // Mar 13: 06:00–12:00 degraded
      out.push(result('Slow', DAY_START + m * MIN, m >= 360 && m < 720 ? 'degraded' : 'up', m >= 360 && m < 720 ? 2500 : 90));
      // Mar 13: 22:00–24:00 in maintenance (stored, not counted)
      out.push(result('Patched', DAY_START + m * MIN, m >= 1320 ? 'down' : 'up', 50, m >= 1320 ? { inMaintenance: true } : {}));
      // Mar 13: 00:00–00:30 down
      out.push(result('Flaky', DAY_START + m * MIN, m < 30 ? 'down' : 'up', 50, m < 30 ? { failure: { class: 'timeout', message: 'x' } } : {}));
    }
    await seed(store, out);
  });
  after(async () => cleanup());

  const app = () => createApp({ config: testConfig([testCheck('Slow'), testCheck('Patched'), testCheck('Flaky')]), store, now: () => NOW });
  const day = async (name: string) => {
    const c = (await (await app().request(`/api/v1/checks/${componentId(name)}`)).json()) as StatusComponent;
    return c.daily.find((d) => d.date === '2026-03-13')!;
  };
  const cell = async (name: string) => {
    const html = await (await app().request('/')).text();
    const section = html.slice(html.indexOf(`id=c-${componentId(name)} `)).split('</li>\n')[0];
    return /<li[^>]*title="Mar 13[^"]*"[^>]*>/.exec(section)?.[0] ?? '';
  };

  it('counts minutes degraded, in maintenance and down per day', async () => {
    const slow = await day('Slow');
    assert.equal(slow.uptime, 100);
    assert.equal(slow.degradedMinutes, 360);
    const patched = await day('Patched');
    assert.equal(patched.uptime, 100);
    assert.equal(patched.maintenanceMinutes, 120);
    assert.equal((await day('Flaky')).downMinutes, 30);
  });

  it('draws degraded and maintenance days in their own colours with what happened', async () => {
    assert.match(await cell('Slow'), /class=ud[^>]*title="Mar 13: 100%, 6 h degraded"/);
    assert.match(await cell('Patched'), /class=um[^>]*title="Mar 13: 100%, 2 h maintenance"/);
    assert.match(await cell('Flaky'), /class=u2[^>]*title="Mar 13: 97.91%, 30 min down"/);
  });
});
