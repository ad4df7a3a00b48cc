import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshProbe } from './ssh-probe.ts';
import { parseIdent } from './ssh-ident.ts';
import { startSshServer, type SshTestServer } from '../../../test/support/ssh-server.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { expectAnswer, expectTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

// Cases with a definite answer get ANSWER_TIMEOUT_MS and must answer before their signal; a
// target that never answers gets TIMEOUT_MS and is judged by expectTimeout (the probe's own
// latency against the timeout plus the event-loop lag measured meanwhile), so a busy machine
// cannot fail either.
/** Timeout of the cases whose target never answers. */
const TIMEOUT_MS = 1000;
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => sshProbe.run(sshProbe.schema.parse(config), ctx);
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));
const runToTimeout = (config: Record<string, unknown>, phase?: RegExp) => expectTimeout(runWith(config), { timeoutMs: TIMEOUT_MS, phase });

describe('ssh probe config', () => {
  it('defaults port 22 and insists on a username and a secret to log in', () => {
    const config = sshProbe.schema.parse({ host: 'example.test' });
    assert.equal(config.port, 22);
    assert.equal(sshProbe.describe(sshProbe.schema.parse({ host: 'h', username: 'u', password: 'p' })), 'h:22', 'no user or secret in the display');
    const issues = (value: unknown) => sshProbe.schema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.deepEqual(issues({ host: 'h', command: 'uptime' }), ['username: is required with command']);
    assert.deepEqual(issues({ host: 'h', username: 'u' }), ['username: needs a password or privateKey to log in']);
    assert.deepEqual(issues({ host: 'h', expectOutput: 'x' }), ['expectOutput: needs a command']);
    assert.equal(sshProbe.schema.safeParse({ host: 'h', hostKey: 'md5:ab' }).success, false);
  });

  it('parses identification lines', () => {
    assert.deepEqual(parseIdent('SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13'), { line: 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13', protocol: '2.0', software: 'OpenSSH_9.6p1', comments: 'Ubuntu-3ubuntu13', at: 0 });
    assert.equal(parseIdent('SSH-2.0'), undefined);
  });
});

describe('ssh probe', () => {
  let ssh: SshTestServer;
  let hostile: HostileServers;
  before(async () => {
    [ssh, hostile] = await Promise.all([startSshServer(), startHostileProcess()]);
  });
  after(async () => {
    await Promise.all([ssh.close(), hostile.close()]);
  });
  const base = () => ({ host: '127.0.0.1', port: ssh.port });

  it('reads the banner and versions without logging in', async () => {
    const outcome = await run({ ...base(), expectBanner: { regex: '^SSH-2\\.0-UpstateTestSSH' } });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.deepEqual(outcome.details?.ssh, { protocol: '2.0', software: 'UpstateTestSSH_1.0', banner: 'SSH-2.0-UpstateTestSSH_1.0' });
    assert.ok(outcome.timings!.connect! >= 0 && outcome.timings!.firstByte! >= 0);
    assert.equal(ssh.logins.length, 0);
  });

  it('a banner that does not match is a protocol failure', async () => {
    const outcome = await run({ ...base(), expectBanner: 'OpenSSH' });
    assert.equal(outcome.failure?.class, 'protocol');
    assert.match(outcome.failure!.message, /does not match "OpenSSH" \(got "SSH-2\.0-UpstateTestSSH_1\.0"\)/);
  });

  it('logs in with a password, pins the host key and runs a command', async () => {
    const outcome = await run({ ...base(), username: ssh.username, password: ssh.password, hostKey: ssh.hostKey, command: 'echo all good', expectOutput: 'all good' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    assert.equal(outcome.body, 'all good\n');
    const details = outcome.details?.ssh as Record<string, unknown>;
    assert.equal(details.exitCode, 0);
    assert.equal(details.authenticated, true);
    assert.equal(details.hostKey, ssh.hostKey);
    assert.ok(outcome.timings!.handshake! > 0 && outcome.timings!.handshake! <= outcome.timings!.total);
    assert.ok(!JSON.stringify(outcome).includes(ssh.password), 'the password is nowhere in the result');
  });

  it('logs in with a private key, inline or from a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'upstate-ssh-')), 'id_ed25519');
    writeFileSync(file, ssh.clientKey, { mode: 0o600 });
    for (const privateKey of [ssh.clientKey, file]) {
      const outcome = await run({ ...base(), username: ssh.username, privateKey });
      assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
      assert.ok(!JSON.stringify(outcome).includes('PRIVATE KEY'));
    }
    assert.ok(ssh.logins.some((login) => login.method === 'publickey' && login.ok));
  });

  it('a wrong password is an auth failure that does not show the password', async () => {
    const outcome = await run({ ...base(), username: ssh.username, password: 'hunter2-wrong' });
    assert.equal(outcome.failure?.class, 'auth', JSON.stringify(outcome.failure));
    assert.match(outcome.failure!.message, /rejected the login/);
    assert.ok(!JSON.stringify(outcome).includes('hunter2'));
  });

  it('a different host key is an auth failure naming both fingerprints', async () => {
    const pinned = 'SHA256:' + 'A'.repeat(43);
    const outcome = await run({ ...base(), username: ssh.username, password: ssh.password, hostKey: pinned });
    assert.equal(outcome.failure?.class, 'auth', JSON.stringify(outcome.failure));
    assert.equal(outcome.failure!.message, `127.0.0.1:${ssh.port} presented host key ${ssh.hostKey}, expected ${pinned}`);
  });

  it('an unexpected exit status is a status failure with stderr', async () => {
    const outcome = await run({ ...base(), username: ssh.username, password: ssh.password, command: 'fail' });
    assert.equal(outcome.failure?.class, 'status');
    assert.match(outcome.failure!.message, /exited with status 3, expected 0 \(stderr "boom"\)/);
    assert.equal((await run({ ...base(), username: ssh.username, password: ssh.password, command: 'fail', expectExitCode: 3 })).ok, true);
  });

  it('output that does not match is a body failure', async () => {
    const outcome = await run({ ...base(), username: ssh.username, password: ssh.password, command: 'echo degraded', expectOutput: { regex: '^ok' } });
    assert.equal(outcome.failure?.class, 'body');
    assert.match(outcome.failure!.message, /does not contain \/\^ok\/ \(got "degraded\\n"\)/);
  });

  it('a command that never ends times out at the check timeout with output capped', async () => {
    // the login before the command is CPU work in this process: a starved one is retried longer
    const outcome = await runToTimeout({ ...base(), username: ssh.username, password: ssh.password, command: 'flood' }, /during the SSH command/);
    assert.match(outcome.failure!.message, /during the SSH command with/);
  });

  it('refused, silent, garbage and dripping peers fail with their class', async () => {
    const cases: [number, string, RegExp][] = [
      [hostile.ports.closed, 'refused', /refused/],
      [hostile.ports.silent, 'timeout', /waiting for the SSH identification/],
      [Number(new URL(hostile.http).port), 'protocol', /does not speak SSH \(got "HTTP\/1\.1 400/],
      [hostile.ports.slowloris, 'timeout', /waiting for the SSH identification/],
    ];
    await Promise.all(
      cases.map(async ([port, cls, message]) => {
        for (const extra of [{}, { username: 'u', password: 'p' }]) {
          const config = { host: '127.0.0.1', port, ...extra };
          const login = 'username' in extra;
          const outcome = cls === 'timeout' ? await runToTimeout(config, login ? undefined : message) : await run(config);
          assert.equal(outcome.failure?.class, cls, `port ${port} ${JSON.stringify(extra)}: ${JSON.stringify(outcome.failure)}`);
          if (!login) assert.match(outcome.failure!.message, message);
        }
      }),
    );
  });
});
