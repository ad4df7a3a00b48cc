import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrls } from './redact-urls.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck } from '../../test/support/receivers/alerting-harness.ts';

describe('redactUrls', () => {
  it('hides userinfo and every query and fragment value, keeping the names and the rest', () => {
    assert.equal(
      redactUrls('api (https://bob:hunter2@api.example.com/v1/health?apikey=S3CRET&region=eu&flag#access_token=T0K): down.'),
      'api (https://***@api.example.com/v1/health?apikey=***&region=***&flag#access_token=***): down.',
    );
    assert.equal(redactUrls('see https://example.com/a/b, then retry.'), 'see https://example.com/a/b, then retry.');
    assert.equal(redactUrls('two: http://a.test/?k=1 and postgres://u:p@db:5432/x?sslmode=require'), 'two: http://a.test/?k=*** and postgres://***@db:5432/x?sslmode=***');
    assert.equal(redactUrls('no url here: a=b?c=d'), 'no url here: a=b?c=d');
  });
});

describe('alert messages redact URLs unless the check opts out (SQLite store, local receiver)', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  for (const optOut of [false, true]) {
    it(optOut ? 'a check listed in alerts.unredactedChecks keeps its URL whole' : 'a query-string secret in the target never reaches a channel', async () => {
      receiver.requests.length = 0;
      const checks = [testCheck('api', { target: 'https://ops:pw@api.example.com/health?apikey=S3CRET' })];
      const h = await createAlertingHarness({ notifiers: { hook: { kind: 'webhook', url: receiver.url } }, checks, alerts: optOut ? { unredactedChecks: ['api'] } : undefined });
      try {
        await h.alerting.start();
        await h.publish([{ check: 'api', status: 'down', failure: { class: 'status', message: 'redirected to https://login.example.com/?token=T0KEN' } }]);
        await h.alerting.deliverNow();
        const [request] = receiver.delivered();
        assert.ok(request, 'the message was delivered');
        if (optOut) assert.match(request.body, /apikey=S3CRET/);
        else {
          assert.doesNotMatch(request.body, /S3CRET|T0KEN|:pw@/);
          assert.match(request.json().summary, /https:\/\/\*\*\*@api\.example\.com\/health\?apikey=\*\*\*/);
        }
      } finally {
        await h.close();
      }
    });
  }
});
