import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createResultBus } from './result-bus.ts';

const event = { results: [], states: [] };

describe('result bus', () => {
  it('runs listeners in order, a `first` listener before all others, and isolates failures', async () => {
    const errors: unknown[] = [];
    const bus = createResultBus((error) => errors.push(error));
    const order: string[] = [];
    bus.subscribe(() => void order.push('alerts'));
    bus.subscribe(() => {
      throw new Error('page listener broke');
    });
    bus.subscribe(() => void order.push('pages'));
    const unsubscribeWriter = bus.subscribe(async () => void order.push('writer'), { first: true });
    await bus.publish(event);
    assert.deepEqual(order, ['writer', 'alerts', 'pages']);
    assert.equal(errors.length, 1);
    unsubscribeWriter();
    await bus.publish(event);
    assert.deepEqual(order.slice(3), ['alerts', 'pages']);
  });
});
