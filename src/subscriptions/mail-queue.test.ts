import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMailQueue } from './mail-queue.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/receivers/smtp-receiver.ts';
import type { EmailConfig } from '../alerting/notifiers/email/email-notifier.ts';

describe('subscription mail queue', () => {
  let smtp: SmtpReceiver;
  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(async () => smtp.close());

  it('sends at most sendsPerMinute a minute: a burst of that size, then one per refill', async () => {
    // time is driven by the queue's own sleeps, so the figures do not depend on the machine's speed
    let clock = 0;
    const sleeps: number[] = [];
    const smtpConfig = { host: smtp.host, port: smtp.port, from: 'status@example.com', to: ['ops@example.com'], requireTLS: false, subjectPrefix: '' } as EmailConfig;
    const queue = createMailQueue({
      smtp: smtpConfig,
      sendsPerMinute: 3,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    const email = (n: number) => ({ to: `s${n}@example.com`, subject: `notice ${n}`, text: 'x', html: '<p>x</p>', headers: {} });
    assert.equal(queue.enqueue([1, 2, 3, 4, 5, 6, 7].map(email)), 7);
    await queue.idle();
    assert.deepEqual(smtp.messages.map((m) => m.subject), [1, 2, 3, 4, 5, 6, 7].map((n) => `notice ${n}`), 'all sent, in order');
    // 3 at once, then each of the other 4 waited for a refill of 20 s (60 s / 3)
    assert.deepEqual(sleeps, [20_000, 20_000, 20_000, 20_000]);
    assert.equal(clock, 80_000, '7 emails at 3 a minute: the last leaves 80 s after the first');
  });
});
