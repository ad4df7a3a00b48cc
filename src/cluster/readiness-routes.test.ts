import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { createReadinessRoutes } from './readiness-routes.ts';

describe('/readyz', () => {
  it('answers 200 while the store answers and 503 once it does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-ready-'));
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    try {
      await store.migrate();
      const reasons: unknown[] = [];
      const app = createReadinessRoutes({ store, onUnready: (error) => reasons.push(error) });
      const ok = await app.request('/readyz');
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('cache-control'), 'no-store');
      await store.close();
      const down = await app.request('/readyz');
      assert.equal(down.status, 503);
      assert.deepEqual(await down.json(), { status: 'unavailable' });
      assert.equal(reasons.length, 1);
    } finally {
      await store.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 when the store hangs past the timeout', async () => {
    const app = createReadinessRoutes({ store: { listCredentials: () => new Promise(() => {}) }, timeoutMs: 50 });
    assert.equal((await app.request('/readyz')).status, 503);
  });
});
