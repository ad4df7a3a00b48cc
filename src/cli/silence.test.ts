import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('upstate silence', () => {
  let dir: string;
  let config: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-silence-'));
    config = join(dir, 'upstate.yaml');
    writeFileSync(config, ['checks:', '  - name: api', '    group: core', '    tcp: { host: 127.0.0.1, port: 1 }'].join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...args: string[]) => {
    const c = capture();
    const code = await main([...args, '--config', config, '--data', dir], c.io);
    return { code, ...c };
  };

  it('adds a silence to the store that serve reads, lists it and expires it', async () => {
    const added = await run('silence', 'add', '--check', 'api', '--for', '2h', '--comment', 'deploy 42');
    assert.equal(added.code, 0, added.err.join('\n'));
    const id = /^added (sil_[0-9a-f]+)\tcheck=api\t.*\tactive\tcli:.*\tdeploy 42$/.exec(added.out[0])?.[1];
    assert.ok(id, added.out[0]);
    // what a serving instance reads
    const store = createSqliteStore({ path: join(dir, 'upstate.db') });
    const [stored] = await store.listSilences({ activeAt: Date.now() });
    assert.deepEqual([stored.id, stored.matchers, stored.endsAt - stored.startsAt], [id, { check: 'api' }, 7_200_000]);
    await store.close();

    assert.match((await run('silence', 'list')).out[0], new RegExp(`^${id}\\tcheck=api`));
    assert.equal((await run('silence', 'expire', id!)).code, 0);
    assert.deepEqual((await run('silence', 'list')).out, ['no running silences']);
    assert.match((await run('silence', 'list', '--all')).out[0], /\tended\t/);
    assert.equal((await run('silence', 'expire', 'sil_nope')).code, 1);
  });

  it('refuses a silence that names nothing known, or has no duration or comment (exit 2)', async () => {
    for (const args of [
      ['--check', 'apii', '--for', '2h', '--comment', 'x'],
      ['--for', '2h', '--comment', 'x'],
      ['--check', 'api', '--comment', 'x'],
      ['--check', 'api', '--for', '2h'],
    ]) {
      const { code, err } = await run('silence', 'add', ...args);
      assert.equal(code, 2, args.join(' '));
      assert.match(err[0], /no check is named|at least one|either for|comment/);
    }
  });
});
