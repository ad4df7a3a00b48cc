import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMaintenanceWatch } from './maintenance-watch.ts';
import { createSubscriptions } from './create-subscriptions.ts';
import { createMaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import { maintenanceConfigSchema } from '../maintenance/maintenance-config.ts';
import type { Incident } from '../domain/incident.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import { openTestStore } from '../../test/support/http-fixture.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/receivers/smtp-receiver.ts';

const MIN = 60_000;
const T = Date.UTC(2026, 5, 1, 1, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const storedWindow = (id: string, from: number, until: number): Incident => ({
  id, kind: 'maintenance', title: `Window ${id}`, status: 'scheduled', impact: 'maintenance', checks: ['API'],
  createdAt: T - 86_400_000, updatedAt: T - 86_400_000, scheduledFor: from, scheduledUntil: until, source: 'api',
  updates: [{ id: `${id}-u`, status: 'scheduled', body: 'Planned work.', at: T - 86_400_000 }],
});

describe('maintenance that starts and ends by its schedule', () => {
  let smtp: SmtpReceiver;
  let store: EmbeddedStore;
  let cleanup: () => Promise<void>;
  before(async () => {
    smtp = await startSmtpReceiver();
    ({ store, cleanup } = await openTestStore());
  });
  after(async () => {
    await smtp.close();
    await cleanup();
  });

  it('mails each start and end once across two instances and an admin status change; old windows stay quiet', async () => {
    let now = T;
    const checks = [{ name: 'API' }, { name: 'Billing' }];
    const smtpConfig = { host: smtp.host, port: smtp.port, from: 'status@example.com', to: ['ops@example.com'], requireTLS: false, subjectPrefix: '' };
    const config = { email: { notifier: 'mail', confirmWithinMs: 3_600_000, smtp: smtpConfig }, rateLimit: { perAddressPerHour: 3, perClientPerHour: 20, sendsPerMinute: 600 } };
    const calendar = createMaintenanceCalendar(maintenanceConfigSchema.parse([{ name: 'nightly', title: 'Nightly patching', start: iso(T + 20 * MIN), end: iso(T + 40 * MIN) }]), checks);
    // two instances over one store, as in a cluster (or before and after a restart)
    const instances = [0, 1].map(() => {
      const subscriptions = createSubscriptions({ config, store, checks, pageTitle: 'Acme', publicUrl: 'https://status.example.com', now: () => now });
      const watch = createMaintenanceWatch({ store, calendar, now: () => now });
      watch.join({ announce: subscriptions.announce });
      return { subscriptions, watch };
    });
    await store.saveSubscriber({ id: 'a'.repeat(32), email: 'ops@example.com', checks: [], groups: [], confirmed: true, unsubscribeToken: 'tok', createdAt: T });
    await store.saveIncident(storedWindow('mw-db', T + 10 * MIN, T + 70 * MIN));
    await store.saveIncident(storedWindow('mw-old', T - 3 * 60 * MIN, T + 90 * MIN)); // started long before the first tick

    const tickAll = async (at: number) => {
      now = at;
      for (const { watch } of instances) await watch.tick();
    };
    for (let at = T; at <= T + 75 * MIN; at += MIN / 2) {
      await tickAll(at);
      if (at === T + 12 * MIN) {
        // an admin flips the running window to in_progress: already announced, so no second email
        const previous = (await store.getIncident('mw-db'))!;
        const next = { ...previous, status: 'in_progress' as const, updatedAt: now };
        await store.saveIncident(next);
        await instances[1].subscriptions.incidentSaved(previous, next);
        await store.saveIncident(previous); // back to running by schedule, so its end comes by time
      }
    }
    // a last, unclaimed notice: the queue is FIFO, so once it arrives every earlier email has
    await instances[0].subscriptions.announce('incident-created', { ...storedWindow('inc-x', T, T), kind: 'incident', status: 'investigating', title: 'Marker' });
    await smtp.waitFor(5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(smtp.messages.map((m) => m.subject), [
      '[Acme] Maintenance started: Window mw-db',
      '[Acme] Maintenance started: Nightly patching',
      '[Acme] Maintenance completed: Nightly patching',
      '[Acme] Maintenance completed: Window mw-db',
      '[Acme] New incident: Marker',
    ]);
    assert.match(smtp.messages[0].decoded, /Status: in progress/);
  });
});
