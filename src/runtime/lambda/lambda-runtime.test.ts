import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coldStart } from './lambda-runtime.ts';
import { createLambdaLogger } from './lambda-logger.ts';

describe('coldStart', () => {
  it('shares one attempt between concurrent first calls and reuses its value', async () => {
    let opens = 0;
    const get = coldStart(async () => ++opens);
    assert.deepEqual(await Promise.all([get(), get(), get()]), [1, 1, 1]);
    assert.equal(await get(), 1);
    assert.equal(opens, 1);
  });

  it('forgets a failed attempt so the next invocation retries', async () => {
    let opens = 0;
    const get = coldStart(async () => {
      if (++opens === 1) throw new Error('SSM throttled');
      return 'ready';
    });
    await assert.rejects(get(), /SSM throttled/);
    assert.equal(await get(), 'ready');
    assert.equal(opens, 2);
  });
});

describe('createLambdaLogger', () => {
  it('writes JSON lines at or above its level, errors with message and cause', () => {
    const lines: string[] = [];
    const logger = createLambdaLogger('warn', (line) => lines.push(line));
    logger.info({ a: 1 }, 'hidden');
    logger.error({ err: new Error('outer', { cause: new Error('inner') }), check: 'Website' }, 'failed');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.level, 'error');
    assert.equal(entry.msg, 'failed');
    assert.equal(entry.check, 'Website');
    assert.equal(entry.err.message, 'outer');
    assert.equal(entry.err.cause.message, 'inner');
  });

  it('silent mutes everything; unknown levels mean info', () => {
    const lines: string[] = [];
    createLambdaLogger('silent', (line) => lines.push(line)).error({}, 'x');
    createLambdaLogger('chatty', (line) => lines.push(line)).info({}, 'y');
    assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ['y']);
  });
});
