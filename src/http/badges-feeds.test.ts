import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createApp } from './create-app.ts';
import { componentId } from '../status/component-id.ts';
import { textWidth } from './badge-svg.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);
const XSS = '<b>&"x"</b>';

describe('badges and feeds', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  const checks = [testCheck('API'), testCheck('Web'), testCheck(`Odd ${XSS}`)];
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    const results = [result('Web', NOW - 60_000, 'down', 10)];
    for (let i = 0; i < 99; i++) results.push(result('API', NOW - 2 * 3_600_000 + i * 60_000, 'up', 30));
    results.push(result('API', NOW - 10_000, 'down', 30));
    await seed(store, results);
    await store.saveIncident({
      id: 'inc-1', kind: 'incident', title: `API ${XSS} errors`, status: 'resolved', impact: 'minor', checks: ['API'], createdAt: NOW - 86_400_000, updatedAt: NOW - 80_000_000,
      resolvedAt: NOW - 80_000_000, source: 'api', updates: [{ id: 'u1', status: 'resolved', body: 'All good <again>.', at: NOW - 80_000_000 }],
    });
  });
  after(async () => cleanup());
  const app = () => createApp({ config: testConfig(checks, { page: { title: 'Acme & Co', publicUrl: 'https://status.acme.test/' } }), store, now: () => NOW });

  it('draws status and uptime badges as valid SVG', async () => {
    const status = await app().request(`/badge/${componentId('Web')}/status.svg`);
    assert.equal(status.status, 200);
    assert.match(status.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await status.text();
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /<title>Web: outage<\/title>/);
    assert.match(svg, /fill="#e05d44"/);
    const uptime = await (await app().request(`/badge/${componentId('API')}/uptime.svg?window=24h&label=API%20uptime`)).text();
    assert.match(uptime, /<title>API uptime: 99\.00%<\/title>/);
    assert.match(uptime, /fill="#97ca00"/);
    const none = await (await app().request(`/badge/${componentId(`Odd ${XSS}`)}/status.svg`)).text();
    assert.equal(XMLValidator.validate(none), true, 'names are escaped');
    assert.match(none, /no data/);
    assert.equal((await app().request(`/badge/${componentId('API')}/uptime.svg?window=1y`)).status, 400);
    // an unknown id still draws an image ("unknown"), so a README shows a badge, not a broken image
    for (const path of ['/badge/000000000000/status.svg', '/badge/000000000000/uptime.svg?window=7d&label=Shop']) {
      const missing = await app().request(path);
      assert.equal(missing.status, 404, path);
      assert.match(missing.headers.get('content-type') ?? '', /^image\/svg\+xml/, path);
      const body = await missing.text();
      assert.equal(XMLValidator.validate(body), true, path);
      assert.match(body, /<title>[^<]*: unknown<\/title>/, path);
    }
    assert.ok(textWidth('WWW') > textWidth('iii'));
  });

  it('publishes incidents as RSS and Atom', async () => {
    const parser = new XMLParser({ ignoreAttributes: false });
    const rssRes = await app().request('/feed.rss');
    assert.match(rssRes.headers.get('content-type') ?? '', /^application\/rss\+xml/);
    const rssText = await rssRes.text();
    assert.equal(XMLValidator.validate(rssText), true);
    const rss = parser.parse(rssText);
    assert.equal(rss.rss.channel.title, 'Acme & Co');
    assert.equal(rss.rss.channel.item.title, `[Resolved] API ${XSS} errors`);
    assert.equal(rss.rss.channel.item.link, 'https://status.acme.test/incidents/inc-1');
    // RSS descriptions are HTML once the XML is decoded: the incident's text must arrive as text,
    // so `<again>` is still escaped after one decoding and only Upstate's own <p> is markup
    const description: string = rss.rss.channel.item.description;
    assert.match(description, /All good &lt;again&gt;\./);
    assert.deepEqual([...new Set(description.match(/<\/?[a-z]+/g))].sort(), ['</p', '<p']);
    const atomText = await (await app().request('/feed.atom')).text();
    assert.equal(XMLValidator.validate(atomText), true);
    const atom = parser.parse(atomText);
    assert.equal(atom.feed.entry.title, `[Resolved] API ${XSS} errors`);
    assert.equal(atom.feed.entry.updated, new Date(NOW - 80_000_000).toISOString());
  });
});
