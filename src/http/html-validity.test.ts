import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlValidate } from 'html-validate';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);

/**
 * The theme's markup is valid HTML with accessible structure. Deliberate choices are allowed:
 * omitted `</li>` and unquoted class attributes in the uptime bars (page weight), and the
 * delayed meta refresh inside <noscript> (the no-JS fallback for live updates; `refreshSeconds: 0`
 * turns it off).
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'no-implicit-close': 'off', 'attr-quotes': 'off', 'no-inline-style': 'off', 'meta-refresh': 'off' },
});

describe('theme markup', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, [
      result('API', NOW - 3 * 86_400_000, 'up', 80),
      result('API', NOW - 10_000, 'down', 10_000, { failure: { class: 'timeout', message: 'no answer' } }),
      result('Web', NOW - 20_000, 'up', 30),
    ]);
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: 'API errors', status: 'identified', impact: 'major', checks: ['API'], createdAt: NOW - 3_600_000, updatedAt: NOW - 60_000, source: 'api',
      updates: [
        { id: 'u0', status: 'investigating', body: 'Errors on the API.', at: NOW - 3_600_000 },
        { id: 'u1', status: 'identified', body: 'A bad deploy; rolling back.', at: NOW - 60_000 },
      ],
    });
    await store.saveIncident({
      id: 'mw-1', kind: 'maintenance', title: 'DB upgrade', status: 'completed', impact: 'maintenance', checks: ['Web'], createdAt: NOW - 86_400_000, updatedAt: NOW - 80_000_000,
      scheduledFor: NOW - 86_400_000, scheduledUntil: NOW - 82_800_000, resolvedAt: NOW - 80_000_000, source: 'api', updates: [],
    });
    // A multi-region state, so region chips and the region table are validated too.
    const state = (await store.readStates()).find((s) => s.check === 'API')!;
    await store.recordResults({ results: [], states: [{ ...state, regions: { 'eu-west': { status: 'down', at: NOW - 10_000, latencyMs: 900 }, 'us-east': { status: 'stale', at: NOW - 9_000_000 } } }] });
  });
  after(async () => cleanup());

  for (const path of ['/', `/groups/${componentId('group:Core')}`, `/checks/${componentId('API')}`, `/checks/${componentId('Web')}`, '/nope', '/incidents', '/incidents/inc-1', '/incidents/mw-1', '/admin/login', `admin:/checks/${componentId('API')}`, 'admin:/admin/login']) {
    it(`renders valid HTML at ${path}`, async () => {
      const app = createApp({
        config: testConfig([testCheck('API', { group: 'Core', description: 'REST', regions: ['eu-west', 'us-east'], quorum: 1 }), testCheck('Web')], {
          page: { title: 'Acme', description: 'Status of Acme', links: [{ label: 'Home', url: 'https://acme.test/' }], footer: 'Run by Acme ops' },
          admin: { tokens: [{ name: 'ops', token: 'admin-token-0123456789' }] },
        }),
        store,
        now: () => NOW,
        bus: { publish: async () => {}, subscribe: () => () => {} },
      });
      // `admin:` paths are fetched with the admin's bearer token (alert history, signed-in state).
      const admin = path.startsWith('admin:');
      const html = await (await app.request(path.replace(/^admin:/, ''), { headers: admin ? { authorization: 'Bearer admin-token-0123456789' } : {} })).text();
      if (admin && path.includes('/checks/')) assert.match(html, /Alert history/);
      const report = await validator.validateString(html);
      const messages = report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`));
      assert.deepEqual(messages, []);
      assert.match(html, /<main id="main"/);
      assert.match(html, /<html lang="en">/);
    });
  }
});
