import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/receivers/http-receiver.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('upstate notify test', () => {
  let dir: string;
  let receiver: HttpReceiver;
  let config: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-notify-'));
    receiver = await startHttpReceiver();
    config = join(dir, 'upstate.yaml');
    writeFileSync(
      config,
      [
        'checks:',
        '  - name: api',
        '    tcp: { host: 127.0.0.1, port: 1 }',
        'notifiers:',
        `  ops: { kind: webhook, url: "${receiver.url}/hook" }`,
      ].join('\n'),
    );
  });
  after(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends one test message and reports delivery', async () => {
    const { io, out } = capture();
    assert.equal(await main(['notify', 'test', 'ops', '--config', config], io), 0);
    assert.match(out.join('\n'), /ops: delivered in \d+ ms/);
    assert.equal(receiver.requests.length, 1);
    assert.equal(receiver.requests[0].method, 'POST');
    assert.match(receiver.requests[0].body, /test/i);
  });

  it('reports a failing channel with exit 1 and an unknown one with exit 2', async () => {
    receiver.setMode('fail');
    const failed = capture();
    assert.equal(await main(['notify', 'test', 'ops', '--config', config], failed.io), 1);
    assert.match(failed.err.join('\n'), /ops: failed after \d+ ms — .*500/);
    receiver.setMode('ok');
    const unknown = capture();
    assert.equal(await main(['notify', 'test', 'pager', '--config', config], unknown.io), 2);
    assert.match(unknown.err.join('\n'), /unknown channel "pager"; configured: ops/);
  });
});
