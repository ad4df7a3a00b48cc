import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';
import { createAlertingHarness, testCheck } from '../../test/support/receivers/alerting-harness.ts';

const CHILD = new URL('../../test/support/receivers/alerting-child.ts', import.meta.url).pathname;

describe('outbox order across kill -9 (SQLite, a real child process, a local receiver)', () => {
  let receiver: HttpReceiver;
  let dir: string;
  before(async () => {
    receiver = await startHttpReceiver({ mode: 'hang' });
    dir = mkdtempSync(join(tmpdir(), 'upstate-order-'));
  });
  after(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a process killed while sending a FIRING: the restarted one sends the FIRING before the RESOLVED', async () => {
    const path = join(dir, 'upstate.db');
    const child = spawn(process.execPath, [CHILD, path, receiver.url], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, UPSTATE_LOG_LEVEL: 'silent' } });
    const exited = once(child, 'exit');
    try {
      await receiver.waitFor(1, { timeoutMs: 60_000, filter: (r) => r.outcome === 'hang' }); // the FIRING is in flight
    } finally {
      child.kill('SIGKILL');
    }
    const [code, signal] = await exited;
    assert.deepEqual([code, signal], [null, 'SIGKILL']);

    receiver.setMode('ok');
    // the restarted instance: same file, same clock origin; the dead process's lease still holds the FIRING
    const h = await createAlertingHarness({ path, notifiers: { hook: { kind: 'webhook', url: receiver.url, timeout: '10s' } }, checks: [testCheck('api')] });
    try {
      await h.alerting.start();
      await h.clock.advance(1_000);
      await h.publish([{ check: 'api', status: 'up' }]);
      await h.alerting.deliverNow();
      const kinds = () => receiver.delivered().map((r) => r.json().kind as string);
      assert.deepEqual(kinds(), [], 'the RESOLVED waits while its FIRING is leased to the dead process');
      await h.clock.advance(30_000); // the dead process's lease ends
      await h.alerting.deliverNow();
      assert.deepEqual(kinds(), ['firing', 'resolved']);
      assert.ok((await h.store.listNotifications()).every((n) => n.state === 'sent'));
    } finally {
      await h.close();
    }
  });
});
