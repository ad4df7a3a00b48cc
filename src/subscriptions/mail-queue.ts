/**
 * The outgoing queue of subscription emails: at most `sendsPerMinute` a minute (a token bucket,
 * so a burst of that size goes at once and the rest follow at the refill rate), one at a time,
 * over one SMTP connection kept while the queue has work and closed when it drains. A failed
 * send is logged and dropped: a subscriber notice is not worth retrying into a queue that other
 * notices are waiting behind. The queue is bounded; past the bound new emails are dropped and
 * counted in the log.
 * @module
 */
import { createGuessThrottle } from '../kernel/guess-throttle.ts';
import type { EmailConfig } from '../alerting/notifiers/email/email-notifier.ts';
import { createSmtpTransport } from '../alerting/notifiers/email/smtp-transport.ts';
import type { OutgoingEmail } from './subscription-notice.ts';

/** Most emails waiting at once. */
const MAX_QUEUED = 100_000;
/** Longest a single SMTP send may take before the connection is dropped. */
const SEND_TIMEOUT_MS = 30_000;

interface QueueLogger {
  warn(obj: unknown, msg?: string): void;
}

export interface MailQueue {
  /** Queues emails; returns how many were taken (the rest did not fit). */
  enqueue(emails: OutgoingEmail[]): number;
  /** Resolves when the queue is empty and nothing is being sent. */
  idle(): Promise<void>;
}

/** Creates the queue; `sleep` and `now` are injected so tests can drive time. */
export function createMailQueue(deps: {
  smtp: EmailConfig;
  sendsPerMinute: number;
  logger?: QueueLogger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): MailQueue {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const budget = createGuessThrottle({ burst: deps.sendsPerMinute, refillPerSecond: deps.sendsPerMinute / 60, maxKeys: 1 });
  const queue: OutgoingEmail[] = [];
  let running: Promise<void> | undefined;

  const run = async () => {
    const transport = await createSmtpTransport(deps.smtp, { pooled: true, timeoutMs: SEND_TIMEOUT_MS });
    try {
      for (let email = queue.shift(); email; email = queue.shift()) {
        for (let wait = budget.retryAfterMs('all', now()); wait > 0; wait = budget.retryAfterMs('all', now())) await sleep(wait);
        budget.fail('all', now());
        try {
          await transport.sendMail({ from: deps.smtp.from, to: email.to, subject: email.subject, text: email.text, html: email.html, headers: email.headers });
        } catch (error) {
          // the address is never logged: subscriber addresses stay private, logs included
          deps.logger?.warn({ err: (error as Error).message, subject: email.subject }, 'subscription email not sent');
        }
      }
    } finally {
      transport.close();
    }
  };

  const start = () => {
    running ??= run()
      .catch((error) => deps.logger?.warn({ err: (error as Error).message }, 'subscription emails not sent'))
      .finally(() => {
        running = undefined;
        if (queue.length) start();
      });
  };

  return {
    enqueue(emails) {
      const room = Math.max(0, MAX_QUEUED - queue.length);
      const taken = emails.slice(0, room);
      if (taken.length < emails.length) deps.logger?.warn({ dropped: emails.length - taken.length }, 'subscription email queue full');
      queue.push(...taken);
      if (taken.length) start();
      return taken.length;
    },
    async idle() {
      while (running !== undefined) await running;
    },
  };
}
