import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck, T0, type AlertingHarness } from '../../../test/support/receivers/alerting-harness.ts';
import { parseConfig } from '../../config/load-config.ts';
import { ConfigError } from '../../config/config-error.ts';

const HOUR = 3_600_000;
// T0 is Saturday 2026-01-10 00:00 UTC; Berlin is UTC+1 in January
const SUNDAY_0300_BERLIN = T0 + 26 * HOUR;
const MONDAY_1000_BERLIN = T0 + 57 * HOUR;

const BUSINESS_HOURS = { days: ['mon-fri'], from: '09:00', to: '18:00', timeZone: 'Europe/Berlin' };

describe('routing by severity, labels and business hours (SQLite store, local receivers)', () => {
  let receiver: HttpReceiver;
  let harness: AlertingHarness | undefined;
  before(async () => {
    receiver = await startHttpReceiver();
  });
  after(() => receiver.close());
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    receiver.requests.length = 0;
  });

  /** `<channel> <kind> <key>` for each delivered message, in arrival order. */
  const deliveries = () => receiver.delivered().map((r) => `${r.path.slice(1)} ${r.json().kind} ${r.json().key}`).sort();

  async function start(routing: Record<string, unknown>) {
    harness = await createAlertingHarness({
      alerts: {
        checks: {
          db: { down: { severity: 'critical', labels: { team: 'data' } } },
          blog: { down: { severity: 'warning', labels: { team: 'web' } } },
        },
        ...routing,
      },
      notifiers: { oncall: { kind: 'webhook', url: `${receiver.url}/oncall` }, chat: { kind: 'webhook', url: `${receiver.url}/chat` } },
      checks: [testCheck('db'), testCheck('blog')],
      dispatcher: { pollMs: 24 * HOUR }, // delivery by deliverNow only: the clock jumps days
    });
    await harness.alerting.start();
    return harness;
  }

  async function at(time: number, status: 'up' | 'down') {
    await harness!.clock.advance(time - harness!.clock.now());
    await harness!.publish([{ check: 'db', status }, { check: 'blog', status }]);
    await harness!.alerting.deliverNow();
  }

  const routes = [
    { match: { severity: 'critical' }, channels: ['oncall'], continue: true },
    { match: { severity: ['critical', 'warning'] }, channels: ['chat'], activeHours: BUSINESS_HOURS },
  ];

  it('at 03:00 on Sunday a critical alert pages on-call only and a warning goes nowhere; on Monday 10:00 both reach chat', async () => {
    await start({ routes });
    await at(SUNDAY_0300_BERLIN, 'down');
    assert.deepEqual(deliveries(), ['oncall firing down:db']);
    // the night's alarms resolve where they fired (the warning fired nowhere, so it resolves nowhere)
    await at(MONDAY_1000_BERLIN - HOUR, 'up');
    assert.deepEqual(deliveries(), ['oncall firing down:db', 'oncall resolved down:db']);
    receiver.requests.length = 0;
    await at(MONDAY_1000_BERLIN, 'down');
    assert.deepEqual(deliveries(), ['chat firing down:blog', 'chat firing down:db', 'oncall firing down:db']);
    const stored = (await harness!.store.readAlerts()).find((a) => a.key === 'down:blog');
    assert.deepEqual(stored?.routedTo, ['chat']);
    const sent = receiver.delivered().find((r) => r.json().key === 'down:db')!.json();
    assert.deepEqual([sent.severity, sent.labels], ['critical', { team: 'data' }]);
  });

  it('a default route takes what no route matches: the Sunday warning goes only to chat', async () => {
    await start({ routes, defaultRoute: { channels: ['chat'] } });
    await at(SUNDAY_0300_BERLIN, 'down');
    assert.deepEqual(deliveries(), ['chat firing down:blog', 'oncall firing down:db']);
  });

  it('routes by label, first match wins without continue, and a rule with its own channels is not routed', async () => {
    harness = await createAlertingHarness({
      alerts: {
        checks: {
          db: { down: { severity: 'critical', labels: { team: 'data' } } },
          blog: { down: { severity: 'critical', labels: { team: 'web' }, channels: ['oncall'] } },
          api: { down: { severity: 'critical', labels: { team: 'data' } } },
        },
        routes: [
          { match: { labels: { team: 'data' }, check: 'db' }, channels: ['chat'] },
          { match: { labels: { team: ['data', 'web'] } }, channels: ['oncall'] },
        ],
      },
      notifiers: { oncall: { kind: 'webhook', url: `${receiver.url}/oncall` }, chat: { kind: 'webhook', url: `${receiver.url}/chat` } },
      checks: [testCheck('db'), testCheck('blog'), testCheck('api')],
      dispatcher: { pollMs: 24 * HOUR },
    });
    await harness.alerting.start();
    await harness.publish([{ check: 'db', status: 'down' }, { check: 'blog', status: 'down' }, { check: 'api', status: 'down' }]);
    await harness.alerting.deliverNow();
    assert.deepEqual(deliveries(), ['chat firing down:db', 'oncall firing down:api', 'oncall firing down:blog']);
  });

  it('a warning that fired in business hours resolves in chat after they end', async () => {
    await start({ routes });
    const fridayEvening = T0 + 6 * 24 * HOUR + 16 * HOUR + 59 * 60_000; // Friday 17:59 Berlin
    await at(fridayEvening, 'down');
    await at(fridayEvening + 10 * 60_000, 'up');
    assert.deepEqual(deliveries(), ['chat firing down:blog', 'chat firing down:db', 'chat resolved down:blog', 'chat resolved down:db', 'oncall firing down:db', 'oncall resolved down:db']);
  });
});

describe('routes config', () => {
  const base = [
    'checks:',
    '  - name: api',
    '    group: core',
    '    http: { url: https://api.example.com }',
    'notifiers:',
    '  chat: { kind: slack, url: https://hooks.slack.com/services/x }',
    'alerts:',
  ];
  const errors = (lines: string[]) => {
    try {
      parseConfig([...base, ...lines].join('\n'), '/tmp/upstate.yaml', { env: {} });
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.issues.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`);
    }
    return [];
  };

  it('loads a valid routing section', () => {
    assert.deepEqual(
      errors([
        '  checks: { api: { down: { severity: critical, labels: { team: data } } } }',
        '  routes:',
        '    - match: { severity: critical, group: core, labels: { team: [data, web] } }',
        '      channels: [chat]',
        '      activeHours: { days: [mon-fri, sun], from: "22:00", to: "06:00", timeZone: America/New_York }',
        '  defaultRoute: { channels: [] }',
      ]),
      [],
    );
  });

  it('reports each mistake with file:line and field', () => {
    const found = errors([
      '  routes:',
      '    - match: { severity: critical, group: cor }',
      '      channels: [chat, pager]',
      '      activeHours:',
      '        days: [mon-fry]',
      '        from: "9am"',
      '        timeZone: Europe/Berlinn',
      '  checks: { api: { down: { labels: { "bad-name": x } } } }',
    ]);
    const expected = [
      /^upstate\.yaml:12 alerts\.routes\[0\]\.activeHours\.days\[0\]: must be a day \(mon … sun\) or a range like mon-fri \(got "mon-fry"\)/,
      /^upstate\.yaml:13 alerts\.routes\[0\]\.activeHours\.from: must be a time like 09:00/,
      /^upstate\.yaml:14 alerts\.routes\[0\]\.activeHours\.timeZone: unknown time zone "Europe\/Berlinn"/,
      /^upstate\.yaml:15 alerts\.checks\.api\.down\.labels\.bad-name: must be a label name/,
    ];
    for (const pattern of expected) assert.ok(found.some((line) => pattern.test(line)), `${pattern}\n${found.join('\n')}`);
  });

  it('reports unknown channels and groups in routes with file:line', () => {
    const found = errors([
      '  routes:',
      '    - match: { severity: critical, group: cor }',
      '      channels: [chat, pager]',
      '  defaultRoute: { channels: [pagr] }',
    ]);
    assert.deepEqual(found, [
      'upstate.yaml:9 alerts.routes[0].match.group: no check is in group "cor"',
      'upstate.yaml:10 alerts.routes[0].channels[1]: unknown channel "pager"; configured: chat',
      'upstate.yaml:11 alerts.defaultRoute.channels[0]: unknown channel "pagr"; configured: chat',
    ]);
  });
});
