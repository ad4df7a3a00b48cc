import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createWriteHealth, describeWriteFailure } from './write-health.ts';
import { repeatLimiter } from './logger.ts';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe('write health', () => {
  it('names the reason from the driver codes along the cause chain', () => {
    assert.equal(describeWriteFailure(sqliteError('SQLITE_FULL')), 'disk full (SQLITE_FULL)');
    assert.equal(describeWriteFailure(new Error('wrapped', { cause: sqliteError('SQLITE_READONLY_DBMOVED') })), 'data directory read-only (SQLITE_READONLY_DBMOVED)');
    assert.equal(describeWriteFailure(sqliteError('53100')), 'disk full (53100)');
    assert.equal(describeWriteFailure(sqliteError('SQLITE_IOERR_WRITE')), 'disk I/O error (SQLITE_IOERR_WRITE)');
    assert.equal(describeWriteFailure(new Error('no code')), 'store writes failing');
  });

  it('is unready from the first failed write to the next success, logging the first failure, a summary a minute and the recovery', async () => {
    let now = 0;
    const lines: string[] = [];
    const logger = { error: (_: unknown, m?: string) => lines.push(`error ${m}`), warn: (_: unknown, m?: string) => lines.push(`warn ${m}`), info: (_: unknown, m?: string) => lines.push(`info ${m}`) };
    const health = createWriteHealth({ logger, now: () => now, summaryEveryMs: 60_000 });
    let fail = true;
    const store = health.watch({ recordResults: async () => { if (fail) throw sqliteError('SQLITE_FULL'); } });
    assert.equal(health.reason(), undefined);
    for (let i = 0; i < 100; i++) {
      now = i * 1000; // one failure a second for 100 s
      await assert.rejects(store.recordResults(), (error) => health.handled(error));
    }
    assert.match(health.reason() ?? '', /^disk full \(SQLITE_FULL\) since 1970-01-01T00:00:00\.000Z$/);
    assert.deepEqual(lines, ['error store writes are failing: not ready until a write succeeds', 'warn store writes still failing']);
    fail = false;
    await store.recordResults();
    assert.equal(health.reason(), undefined);
    assert.equal(lines.at(-1), 'info store writes recovered');
  });
});

describe('repeat limiter of the process logger', () => {
  it('logs the same warning about the same subject once a minute, with the count held back', () => {
    let now = 0;
    const out: Record<string, unknown>[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { out.push(JSON.parse(String(chunk))); done(); } });
    const logger = pino({ hooks: { logMethod: repeatLimiter(60_000, () => now) } }, stream);
    for (let i = 0; i < 100; i++) {
      now = i * 1000;
      logger.error({ check: 'a' }, 'run failed');
      logger.error({ check: 'b' }, 'run failed');
    }
    logger.info('info is never held back');
    logger.info('info is never held back');
    assert.deepEqual(out.map((line) => [line.check, line.repeated, line.msg]), [
      ['a', undefined, 'run failed'],
      ['b', undefined, 'run failed'],
      ['a', 59, 'run failed'],
      ['b', 59, 'run failed'],
      [undefined, undefined, 'info is never held back'],
      [undefined, undefined, 'info is never held back'],
    ]);
  });
});
