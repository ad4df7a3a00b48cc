import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../create-app.ts';
import { componentId } from '../../status/component-id.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { EmbeddedStore } from '../../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const MIN = 60_000;

describe('check page: last failure while the check is up', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    const results: CheckResult[] = [];
    // Recent: one failure among the 50 shown results.
    results.push(result('Recent', NOW - 30 * MIN, 'down', 10_000, { failure: { class: 'timeout', message: 'recent timeout' } }));
    for (let i = 1; i <= 60; i++) results.push(result('Recent', NOW - i * 20_000, 'up', 50));
    // Old: the failure is 120 results back, beyond the 50 shown.
    results.push(result('Old', NOW - 121 * MIN, 'down', 0, { failure: { class: 'refused', message: 'connection refused on 443' } }));
    for (let i = 1; i <= 120; i++) results.push(result('Old', NOW - i * MIN, 'up', 50));
    // Never failed.
    for (let i = 1; i <= 10; i++) results.push(result('Clean', NOW - i * MIN, 'up', 50));
    await seed(store, results);
  });
  after(async () => cleanup());

  const app = () => createApp({ config: testConfig([testCheck('Recent'), testCheck('Old'), testCheck('Clean')]), store, now: () => NOW });
  const page = async (name: string) => (await app().request(`/checks/${componentId(name)}`)).text();

  it('shows the most recent failure from the shown results', async () => {
    const html = await page('Recent');
    assert.match(html, /<span class="pill s-up">Operational<\/span>/);
    assert.match(html, /<p class="fail past"><span class="when">Last failure <time[^>]*>30 min ago<\/time><\/span> <b>Timed out<\/b><\/p>/);
  });

  it('looks further back when the shown results have none', async () => {
    assert.match(await page('Old'), /Last failure <time[^>]*>2 h ago<\/time><\/span> <b>Connection refused<\/b>/);
  });

  it('shows nothing for a check that never failed', async () => {
    assert.doesNotMatch(await page('Clean'), /class="fail/);
  });
});
