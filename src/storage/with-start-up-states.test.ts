import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStartUpStates } from './with-start-up-states.ts';
import type { CheckState } from '../domain/status.ts';

/** A states port that counts its reads and makes new state objects for each, as the stores do. */
function countingStore() {
  const reads: (readonly string[] | undefined)[] = [];
  return {
    reads,
    async readStates(wanted?: readonly string[]): Promise<CheckState[]> {
      reads.push(wanted);
      return ['a', 'b'].filter((check) => !wanted || wanted.includes(check)).map((check) => ({ check, status: 'up', since: 1, streak: 0 }));
    },
  };
}

describe('withStartUpStates', () => {
  it('serves every start-up read of all states from one store read, with the same state objects', async () => {
    const store = countingStore();
    const view = withStartUpStates(store);
    const evaluators = await view.readStates();
    const authority = await view.readStates();
    // without it: two reads, and two sets of 100,000 states held side by side after start-up
    assert.equal(store.reads.length, 1);
    assert.notEqual(evaluators, authority, 'each reader gets an array of its own');
    assert.equal(evaluators[0], authority[0]);
    assert.deepEqual(authority.map((s) => s.check), ['a', 'b']);
  });

  it('reads named checks from the store at any time, and every state from the store once settled', async () => {
    const store = countingStore();
    const view = withStartUpStates(store);
    const first = await view.readStates();
    assert.deepEqual((await view.readStates(['b'])).map((s) => s.check), ['b']);
    view.settle();
    const later = await view.readStates();
    assert.deepEqual(store.reads, [undefined, ['b'], undefined]);
    assert.notEqual(later[0], first[0], 'a read after start-up sees the store as it is then');
  });
});
