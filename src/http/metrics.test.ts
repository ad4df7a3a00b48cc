import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './create-app.ts';
import { createMetrics } from './metrics.ts';
import { PER_CHECK_AUTO_LIMIT } from './metrics-config.ts';
import { createResultBus } from '../kernel/result-bus.ts';
import { subscribeStoreWriter } from '../engine/store-writer.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore, result, seed, statesAfter, testCheck, testConfig } from '../../test/support/http-fixture.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 30, 0);

interface Family {
  help?: string;
  type?: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** A small parser of the Prometheus text format (enough for these assertions). */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => families.get(name) ?? (families.set(name, { samples: [] }).get(name) as Family);
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      family(meta[2])[meta[1] === 'HELP' ? 'help' : 'type'] = meta[3];
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `unparseable line: ${line}`);
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const base = sample[1].replace(/_(bucket|sum|count)$/, '');
    family(families.has(sample[1]) ? sample[1] : base).samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return families;
}

const value = (f: Family | undefined, name: string, labels: Record<string, string>) =>
  f?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const SEEDED = [
  result('API', NOW - 3_600_000, 'up', 100),
  result('API', NOW - 60_000, 'down', 10_000, { failure: { class: 'timeout', message: 'no answer' } }),
  result('Web', NOW - 60_000, 'degraded', 1800),
];

describe('GET /metrics', () => {
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  const cleanups: (() => Promise<void>)[] = [];
  before(async () => {
    ({ store, cleanup } = await openTestStore());
    await seed(store, SEEDED);
  });
  after(async () => {
    await cleanup();
    for (const done of cleanups) await done();
  });

  /** A store of its own with the seeded results, and a bus whose batches are stored first (as in `serve`). */
  async function storedBus() {
    const own = await openTestStore();
    cleanups.push(own.cleanup);
    await seed(own.store, SEEDED);
    const bus = createResultBus();
    subscribeStoreWriter(bus, own.store);
    return { bus, store: own.store };
  }

  it('exposes per-check gauges from the model, and counters and histograms from the bus', async () => {
    const { bus, store } = await storedBus();
    const metrics = createMetrics();
    const checks = [testCheck('API'), testCheck('Web'), testCheck('New "check"')];
    const app = createApp({ config: testConfig(checks), store, bus, metrics, now: () => NOW });
    const published = [
      result('API', NOW - 30_000, 'down', 10_000, { failure: { class: 'timeout', message: 'x' } }),
      result('API', NOW - 20_000, 'down', 40, { failure: { class: 'status', message: 'x' } }),
      result('Web', NOW - 20_000, 'up', 42),
    ];
    await bus.publish({ results: published, states: statesAfter(published) });
    metrics.observeSchedulerLag(120);
    metrics.observeSchedulerLag(3500);

    const res = await app.request('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const families = parseExposition(await res.text());

    const up = families.get('upstate_check_up');
    assert.equal(up?.type, 'gauge');
    assert.ok(up?.help);
    assert.equal(value(up, 'upstate_check_up', { check: 'API' }), 0);
    assert.equal(value(up, 'upstate_check_up', { check: 'Web' }), 1, 'degraded counts as up');
    assert.equal(value(up, 'upstate_check_up', { check: 'New \\"check\\"' }), undefined, 'unknown is absent');

    const uptime = families.get('upstate_check_uptime_ratio');
    // seeded up and down, published down twice
    assert.equal(value(uptime, 'upstate_check_uptime_ratio', { check: 'API', window: '24h' }), 0.25);
    assert.equal(value(uptime, 'upstate_check_uptime_ratio', { check: 'Web', window: '90d' }), 1);

    const total = families.get('upstate_check_results_total');
    assert.equal(total?.type, 'counter');
    assert.equal(value(total, 'upstate_check_results_total', { check: 'API', status: 'down', failure_class: 'timeout' }), 1);
    assert.equal(value(total, 'upstate_check_results_total', { check: 'API', status: 'down', failure_class: 'status' }), 1);
    assert.equal(value(total, 'upstate_check_results_total', { check: 'Web', status: 'up', failure_class: 'none' }), 1);

    const latency = families.get('upstate_check_latency_seconds');
    assert.equal(latency?.type, 'histogram');
    assert.equal(value(latency, 'upstate_check_latency_seconds_count', { check: 'API' }), 2);
    assert.equal(value(latency, 'upstate_check_latency_seconds_sum', { check: 'API' }), 10.04);
    assert.equal(value(latency, 'upstate_check_latency_seconds_bucket', { check: 'API', le: '0.05' }), 1);
    assert.equal(value(latency, 'upstate_check_latency_seconds_bucket', { check: 'API', le: '+Inf' }), 2);

    const lag = families.get('upstate_scheduler_lag_seconds');
    assert.equal(lag?.type, 'histogram');
    assert.equal(value(lag, 'upstate_scheduler_lag_seconds_count', {}), 2);
    assert.equal(value(lag, 'upstate_scheduler_lag_seconds_bucket', { le: '0.25' }), 1);
    assert.equal(value(lag, 'upstate_scheduler_lag_seconds_sum', {}), 3.62);
  });

  it('counts alert deliveries by channel and outcome, so a channel given up on is visible', async () => {
    const metrics = createMetrics();
    const app = createApp({ config: testConfig([testCheck('API')]), store, metrics, now: () => NOW });
    metrics.observeDelivery('slack', 'retry');
    metrics.observeDelivery('slack', 'failed');
    metrics.observeDelivery('pager', 'sent');
    const deliveries = parseExposition(await (await app.request('/metrics')).text()).get('upstate_alert_deliveries_total');
    assert.equal(deliveries?.type, 'counter');
    assert.equal(value(deliveries, 'upstate_alert_deliveries_total', { channel: 'slack', outcome: 'failed' }), 1);
    assert.equal(value(deliveries, 'upstate_alert_deliveries_total', { channel: 'slack', outcome: 'retry' }), 1);
    assert.equal(value(deliveries, 'upstate_alert_deliveries_total', { channel: 'pager', outcome: 'sent' }), 1);
  });

  it('keeps a registry per app and sits behind the auth header', async () => {
    const config = testConfig([testCheck('API')], { auth: { header: 'X-Proxy-Auth', secrets: ['proxy-secret-123'] } });
    const a = createApp({ config, store, now: () => NOW });
    const b = createApp({ config, store, now: () => NOW });
    assert.equal((await a.request('/metrics')).status, 401);
    const text = await (await b.request('/metrics', { headers: { 'X-Proxy-Auth': 'proxy-secret-123' } })).text();
    assert.equal(value(parseExposition(text).get('upstate_check_up'), 'upstate_check_up', { check: 'API' }), 0);
    assert.doesNotMatch(text, /check="Web"/, 'nothing from the other test app');
    assert.doesNotMatch(text, /process_cpu|nodejs_/, 'no global default metrics');
  });

  it('leaves result counting to the caller when countBusResults is false (cluster page bus)', async () => {
    const { bus, store } = await storedBus();
    const app = createApp({ config: testConfig([testCheck('API')]), store, bus, countBusResults: false, now: () => NOW });
    const relayed = [result('API', NOW - 1000, 'up', 10)];
    await bus.publish({ results: relayed, states: statesAfter(relayed) });
    const families = parseExposition(await (await app.request('/metrics')).text());
    assert.equal(families.get('upstate_check_results_total')?.samples.length ?? 0, 0);
    assert.equal(value(families.get('upstate_check_up'), 'upstate_check_up', { check: 'API' }), 1, 'gauges still come from the model');
  });

  it('is bounded by default above the auto limit: status counts, results and latency without a check label', async () => {
    const many = Array.from({ length: PER_CHECK_AUTO_LIMIT + 1 }, (_, i) => testCheck(i === 0 ? 'API' : i === 1 ? 'Web' : `svc-${i}`));
    const { bus, store } = await storedBus();
    const app = createApp({ config: testConfig(many), store, bus, now: () => NOW });
    const published = [
      result('API', NOW - 30_000, 'down', 10_000, { failure: { class: 'timeout', message: 'x' } }),
      result('Web', NOW - 20_000, 'up', 42),
    ];
    await bus.publish({ results: published, states: statesAfter(published) });
    const text = await (await app.request('/metrics')).text();
    assert.doesNotMatch(text, /check="/, 'no series per check');
    const families = parseExposition(text);
    const checks = families.get('upstate_checks');
    assert.equal(value(checks, 'upstate_checks', { status: 'down' }), 1);
    assert.equal(value(checks, 'upstate_checks', { status: 'degraded' }), 0);
    assert.equal(value(checks, 'upstate_checks', { status: 'up' }), 1, 'Web, up again after the published result');
    assert.equal(value(checks, 'upstate_checks', { status: 'unknown' }), PER_CHECK_AUTO_LIMIT - 1);
    assert.equal(value(checks, 'upstate_checks', { status: 'maintenance' }), 0);
    const results = families.get('upstate_results_total');
    assert.equal(value(results, 'upstate_results_total', { status: 'down', failure_class: 'timeout' }), 1);
    assert.equal(value(results, 'upstate_results_total', { status: 'up', failure_class: 'none' }), 1);
    assert.equal(value(families.get('upstate_result_latency_seconds'), 'upstate_result_latency_seconds_count', {}), 2);
    // the scrape stays small whatever the check count: a few dozen lines
    assert.ok(text.split('\n').length < 120, `${text.split('\n').length} lines`);

    // opting in brings the per-check series back at any size
    const opted = createApp({ config: testConfig(many, { metrics: { perCheck: true } }), store, now: () => NOW });
    assert.match(await (await opted.request('/metrics')).text(), /upstate_check_up\{check="API"\} 0/);
  });
  it('counts statuses above the auto limit without building the status model (no rollup read)', async () => {
    // at 100,000 checks a model build per scrape blocked a cluster instance's event loop for
    // 7–9 s, and every check claimed meanwhile ran that late
    const many = Array.from({ length: PER_CHECK_AUTO_LIMIT + 1 }, (_, i) => testCheck(i === 0 ? 'API' : i === 1 ? 'Web' : `svc-${i}`));
    const own = await openTestStore();
    cleanups.push(own.cleanup);
    await seed(own.store, [result('API', NOW - 30_000, 'down', 10_000), result('Web', NOW - 20_000, 'up', 42)]);
    const noRollups = new Proxy(own.store, {
      get(target, key, receiver) {
        if (key === 'readRollups') return () => Promise.reject(new Error('a scrape without per-check series read rollups'));
        return Reflect.get(target, key, receiver);
      },
    });
    // no bus: the store path, as the page Lambda and a model without live facts read
    const app = createApp({ config: testConfig(many), store: noRollups, now: () => NOW });
    const response = await app.request('/metrics');
    assert.equal(response.status, 200);
    const checks = parseExposition(await response.text()).get('upstate_checks');
    assert.equal(value(checks, 'upstate_checks', { status: 'down' }), 1);
    assert.equal(value(checks, 'upstate_checks', { status: 'up' }), 1);
    assert.equal(value(checks, 'upstate_checks', { status: 'unknown' }), PER_CHECK_AUTO_LIMIT - 1);

    // with a bus (serve, cluster): the scrape does not make the live facts read every check's
    // history (5 s of a blocked loop at 100,000 checks, then all of it held in memory)
    const bus = createResultBus();
    subscribeStoreWriter(bus, own.store);
    const served = createApp({ config: testConfig(many), store: noRollups, bus, now: () => NOW });
    const later = [result('Web', NOW - 10_000, 'down', 10)];
    await bus.publish({ results: later, states: statesAfter(later) });
    const scraped = await served.request('/metrics');
    assert.equal(scraped.status, 200);
    const counted = parseExposition(await scraped.text()).get('upstate_checks');
    assert.equal(value(counted, 'upstate_checks', { status: 'down' }), 2, 'API, and Web from the published batch');
  });

  it('does not rebuild the status model per scrape while results leave every status as it was', async () => {
    const { bus, store } = await storedBus();
    // loadStatusModel reads the incidents from the store once per build (states and rollups come from memory)
    let builds = 0;
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'listIncidents') return (...args: Parameters<EmbeddedStore['listIncidents']>) => (builds++, target.listIncidents(...args));
        return Reflect.get(target, key, receiver);
      },
    });
    let now = NOW;
    const app = createApp({ config: testConfig([testCheck('API'), testCheck('Web')]), store: counting, bus, now: () => now });
    const scrape = async () => parseExposition(await (await app.request('/metrics')).text());
    const batch = (at: number, web: 'degraded' | 'down') => {
      const results = [result('API', at, 'down', 50, { failure: { class: 'timeout', message: 'x' } }), result('Web', at, web, 1500)];
      return bus.publish({ results, states: statesAfter(results) });
    };
    await batch(NOW - 1000, 'degraded');
    await scrape();
    const first = builds;
    for (let i = 1; i <= 20; i++) {
      now = NOW + i * 1000;
      await batch(now, 'degraded');
      const families = await scrape();
      assert.equal(value(families.get('upstate_checks'), 'upstate_checks', { status: 'degraded' }), 1);
    }
    const perScrape = (builds - first) / 20;
    console.log(`model builds: ${first} for the first scrape, ${builds - first} for 20 scrapes after result batches that changed no status`);
    assert.equal(perScrape, 0, 'the scrapes reuse the model of the first');
    // a status change is scraped at once
    await batch(NOW + 21_000, 'down');
    assert.equal(value((await scrape()).get('upstate_check_up'), 'upstate_check_up', { check: 'Web' }), 0, 'Web down at the next scrape');
    assert.equal(builds, first + 1);
    // and the uptime ratios are at most a minute old
    now = NOW + 21_000 + 60_000;
    await scrape();
    assert.equal(builds, first + 2);
  });
});
