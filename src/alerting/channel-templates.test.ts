import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { decodeQuotedPrintable, startSmtpReceiver, type SmtpReceiver } from '../../test/support/receivers/smtp-receiver.ts';
import { startSnsReceiver, type SnsReceiver } from '../../test/support/receivers/sns-receiver.ts';
import { createAlertingHarness, testCheck, type AlertingHarness } from '../../test/support/receivers/alerting-harness.ts';
import { parseConfig } from '../config/load-config.ts';
import { ConfigError } from '../config/config-error.ts';

const ARN = 'arn:aws:sns:eu-west-1:123456789012:upstate-alerts';

/** An RFC 2047 subject (`=?UTF-8?Q?…?=` words) as the reader sees it. */
const decodeSubject = (header: string) =>
  decodeQuotedPrintable([...header.matchAll(/=\?UTF-8\?Q\?(.*?)\?=/gi)].map((m) => m[1].replace(/_/g, ' ')).join('') || header);

describe('channel templates on every channel kind (local receivers)', () => {
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  let sns: SnsReceiver;
  let harness: AlertingHarness | undefined;
  before(async () => {
    [http, smtp, sns] = await Promise.all([startHttpReceiver(), startSmtpReceiver(), startSnsReceiver({ AKIDTEST: 'secret-key' })]);
  });
  after(async () => {
    await Promise.all([http.close(), smtp.close(), sns.close()]);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    http.requests.length = 0;
    smtp.messages.length = 0;
    sns.published.length = 0;
  });

  /** Every kind, all with the same templates. */
  function notifiers(templates: { title?: string; text?: string }) {
    return {
      hook: { kind: 'webhook', url: `${http.url}/webhook`, templates },
      slack: { kind: 'slack', url: `${http.url}/slack`, templates },
      discord: { kind: 'discord', url: `${http.url}/discord`, templates },
      teams: { kind: 'teams', url: `${http.url}/teams`, templates },
      pager: { kind: 'pagerduty', routingKey: 'r'.repeat(32), eventsUrl: `${http.url}/pagerduty`, templates },
      mail: { kind: 'email', host: smtp.host, port: smtp.port, from: 'up@example.com', to: 'oncall@example.com', templates },
      aws: { kind: 'sns', topicArn: ARN, endpoint: sns.endpoint, accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-key', templates },
    };
  }

  async function fire(templates: { title?: string; text?: string }) {
    harness = await createAlertingHarness({
      alerts: { checks: { api: { down: { severity: 'critical', labels: { team: 'data' } } } } },
      notifiers: notifiers(templates),
      checks: [testCheck('api', { group: 'core' })],
    });
    await harness.alerting.start();
    await harness.publish([{ check: 'api', status: 'down', failure: { class: 'refused', message: 'connection refused' } }]);
    await harness.alerting.deliverNow();
    await smtp.waitFor(1);
    const body = (path: string) => http.requests.find((r) => r.path === path)!.json();
    return { body, mail: smtp.messages[0], published: sns.published[0] };
  }

  it('renders the title and text templates into every channel', async () => {
    const { body, mail, published } = await fire({
      title: '[{{ severity | upper }}] {{ check }} ({{ group }}) {{ kind }}',
      text: 'team {{ labels.team }}{% if kind == "firing" %}: please look{% endif %}. {{ summary }}',
    });
    const title = '[CRITICAL] api (core) firing';
    const text = /^team data: please look\. api \(https:\/\/api\.example\.com\/health\): the check is down since .*connection refused/;
    assert.equal(body('/webhook').title, title);
    assert.match(body('/webhook').summary, text);
    const slack = body('/slack').attachments[0].blocks[0].text.text;
    assert.match(slack, /\[CRITICAL\] api \(core\) firing/);
    assert.match(slack, /team data: please look/);
    const [embed] = body('/discord').embeds;
    assert.match(embed.title, /\[CRITICAL\] api \(core\) firing$/);
    assert.match(embed.description, text);
    assert.match(JSON.stringify(body('/teams')), /\[CRITICAL\] api \(core\) firing.*team data: please look/);
    assert.match(body('/pagerduty').payload.summary, /\[CRITICAL\] api \(core\) firing/);
    assert.match(decodeSubject(mail.subject), /\[CRITICAL\] api \(core\) firing/);
    assert.match(mail.decoded, /team data: please look/);
    assert.match(published.subject ?? '', /\[CRITICAL\] api \(core\) firing/);
    assert.match(published.message, /team data: please look/);
  });

  it('clips templated output to each channel limit afterwards', async () => {
    const { body, mail, published } = await fire({
      title: '{{ check }} {% for i in range(0, 600) %}title {% endfor %}',
      text: '{% for i in range(0, 10000) %}{{ check }} & <b> {% endfor %}',
    });
    const slack = body('/slack').attachments[0].blocks[0].text.text as string;
    assert.ok(slack.length <= 3_000 && slack.endsWith('…'), `slack section ${slack.length}`);
    const [embed] = body('/discord').embeds;
    assert.ok(embed.title.length <= 256 && embed.description.length <= 4_096 && embed.description.endsWith('…'), `discord ${embed.title.length}/${embed.description.length}`);
    const teams = http.requests.find((r) => r.path === '/teams')!.body;
    assert.ok(Buffer.byteLength(teams) <= 28 * 1024, `teams ${Buffer.byteLength(teams)} bytes`);
    const summary = body('/pagerduty').payload.summary as string;
    assert.ok(summary.length <= 1_024 && summary.endsWith('…'), `pagerduty ${summary.length}`);
    const subject = decodeSubject(mail.subject);
    assert.ok(subject.length <= 250 && subject.endsWith('…'), `email subject ${subject.length}`);
    assert.ok((published.subject ?? '').length <= 100, `sns subject ${published.subject?.length}`);
    assert.ok(body('/webhook').summary.length > 50_000, 'the webhook sends it unclipped');
  });
});

describe('channel templates at config load', () => {
  const load = (templates: string[]) => {
    const text = [
      'checks:',
      '  - name: api',
      '    http: { url: https://api.example.com }',
      'notifiers:',
      '  chat:',
      '    kind: slack',
      '    url: https://hooks.slack.com/services/x',
      '    templates:',
      ...templates,
    ].join('\n');
    try {
      parseConfig(text, '/tmp/upstate.yaml', { env: {} });
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.issues.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`);
    }
  };

  it('reports a syntax error, an unknown variable and an unknown filter with file:line', () => {
    assert.deepEqual(load(['      title: "{{ check }} {% if kind %}"', '      text: "{{ sumary }}"']), [
      'upstate.yaml:9 notifiers.chat.templates.title: template syntax error: parseIf: expected elif, else, or endif, got end of file',
      'upstate.yaml:10 notifiers.chat.templates.text: unknown template variable "sumary"; use one of key, rule, check, group, severity, labels, kind, state, title, summary, at, time, url, ackUrl, json',
    ]);
    assert.deepEqual(load(['      text: "{{ summary | shout }}"']), ['upstate.yaml:9 notifiers.chat.templates.text: unknown template filter "shout"']);
    assert.deepEqual(load(['      colour: red']), ['upstate.yaml:9 notifiers.chat.templates.colour: unknown key']);
    assert.deepEqual(load(['      title: "{{ severity | upper }}: {{ title }}"']), []);
  });
});
