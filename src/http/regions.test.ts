import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { clockTime } from './view-format.ts';
import { componentId } from '../status/component-id.ts';
import { regionViews } from '../status/build-status-model.ts';
import type { StatusComponent } from '../status/status-model.ts';
import type { CheckState } from '../domain/status.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const GLOBAL = testCheck('Global API', { regions: ['eu-west', 'us-east', 'ap-south'], quorum: 2 });

describe('per-region status of multi-region checks', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    const results = [
      result('Global API', NOW - 30_000, 'up', 84, { region: 'eu-west' }),
      result('Global API', NOW - 25_000, 'down', 10_000, { region: 'us-east', failure: { class: 'timeout', message: 'no answer from us-east' } }),
      result('Single', NOW - 20_000, 'up', 40),
    ];
    const state: CheckState = {
      check: 'Global API', status: 'up', since: NOW - 86_400_000, lastResult: results[1], streak: 0,
      regions: {
        'us-east': { status: 'down', at: NOW - 25_000, latencyMs: 10_000, failure: { class: 'timeout', message: 'no answer from us-east' } },
        'eu-west': { status: 'up', at: NOW - 30_000, latencyMs: 84 },
        'ap-south': { status: 'stale', at: NOW - 3_600_000, latencyMs: 190 },
      },
    };
    await store.recordResults({ results, states: [state, { check: 'Single', status: 'up', since: NOW - 20_000, lastResult: results[2], streak: 0 }] });
  });
  after(async () => cleanup());

  const app = () => createApp({ config: testConfig([GLOBAL, testCheck('Single')]), store, now: () => NOW });

  it('orders regions as configured and skips single-region checks', () => {
    assert.equal(regionViews(testCheck('x'), { check: 'x', status: 'up', since: 0, streak: 0 }), undefined);
    const views = regionViews(GLOBAL, { check: 'Global API', status: 'up', since: 0, streak: 0, regions: { 'ap-south': { status: 'up', at: 1 }, 'eu-west': { status: 'down', at: 2 }, mars: { status: 'up', at: 3 } } });
    assert.deepEqual(views?.map((v) => v.region), ['eu-west', 'ap-south', 'mars']);
  });

  it('shows compact region chips on the page; a stale region reads "no recent reports", not an outage', async () => {
    const html = await (await app().request('/')).text();
    const component = html.slice(html.indexOf(`id=c-${componentId('Global API')} `)).split('</li>\n')[0];
    const chips = /<ul class="rgs">(.*?)<\/ul>/.exec(component)?.[1] ?? '';
    assert.deepEqual([...chips.matchAll(/<li class="rg s-([a-z]+)"[^>]*>([^<]+) <b>([^<]+)<\/b>/g)].map((m) => m.slice(1)), [
      ['up', 'eu-west', '84 ms'],
      ['down', 'us-east', 'outage'],
      ['stale', 'ap-south', 'no recent reports'],
    ]);
    // absolute times: a tooltip's "1 h ago" would be frozen at render time
    assert.ok(chips.includes(`title="ap-south: no recent reports since ${clockTime(NOW - 3_600_000)}"`), chips);
    assert.ok(chips.includes(`title="eu-west: Operational, 84 ms, at ${clockTime(NOW - 30_000)}"`), chips);
    assert.match(component, /<span class="pill s-up">Operational<\/span>/, 'quorum says up');
    const single = html.slice(html.indexOf(`id=c-${componentId('Single')} `)).split('</li>\n')[0];
    assert.doesNotMatch(single, /rgs/);
  });

  it('lists regions on the detail page and in the JSON API', async () => {
    const html = await (await app().request(`/checks/${componentId('Global API')}`)).text();
    const table = html.slice(html.indexOf('id="h-regions"'), html.indexOf('</table>', html.indexOf('id="h-regions"')));
    assert.match(table, /eu-west[\s\S]*Operational[\s\S]*84 ms/);
    assert.match(table, /us-east[\s\S]*Outage[\s\S]*Timed out/);
    assert.doesNotMatch(table, /no answer from us-east/);
    assert.match(table, /ap-south[\s\S]*No recent reports[\s\S]*Not counted towards the quorum/);

    const component = (await (await app().request(`/api/v1/checks/${componentId('Global API')}`)).json()) as StatusComponent;
    assert.deepEqual(component.regions?.map((r) => [r.region, r.status, r.latencyMs]), [['eu-west', 'up', 84], ['us-east', 'down', 10_000], ['ap-south', 'stale', 190]]);
    assert.equal(component.regions?.[1].failure?.message, 'Timed out');
    const status = (await (await app().request('/api/v1/status')).json()) as { components: StatusComponent[] };
    assert.equal(status.components[0].regions?.length, 3);
    assert.equal(status.components[1].regions, undefined);
  });
});
