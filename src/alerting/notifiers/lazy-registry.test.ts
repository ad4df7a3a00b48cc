import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notifiers } from './registry.ts';
import { lazyNotifiers, notifierLoaders } from './lazy-registry.ts';
import type { AlertEvent } from '../../domain/alert.ts';

describe('lazy notifier registry', () => {
  it('has exactly the registry kinds, and each loader gives the registry notifier object', async () => {
    assert.deepEqual(Object.keys(lazyNotifiers).sort(), Object.keys(notifiers).sort());
    assert.deepEqual(Object.keys(notifierLoaders).sort(), Object.keys(notifiers).sort());
    for (const [kind, load] of Object.entries(notifierLoaders)) assert.equal(await load(), notifiers[kind as keyof typeof notifiers], `${kind}: a different object than the registry's`);
  });

  it('a lazy sender delivers through the kind module (webhook to a local receiver)', async () => {
    const bodies: unknown[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.end('ok');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const config = notifiers.webhook.schema.parse({ url });
      const event: AlertEvent = { key: 'down:api', rule: 'down', check: 'api', kind: 'firing', state: 'ALARM', title: 'api is down', summary: 'api: down', at: 0, sequence: 1 };
      await lazyNotifiers.webhook.send(event, config, { signal: AbortSignal.timeout(5000) });
      await notifiers.webhook.send(event, config, { signal: AbortSignal.timeout(5000) });
      assert.equal(bodies.length, 2);
      assert.deepEqual(bodies[0], bodies[1]);
      assert.equal((bodies[0] as { key: string }).key, 'down:api');
    } finally {
      server.close();
    }
  });
});
