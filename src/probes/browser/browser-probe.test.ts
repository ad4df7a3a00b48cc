import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { browserProbe } from './browser-probe.ts';
import { browserAvailable } from '../../../test/support/browser.ts';
import { listenTracked, type Listening } from '../../../test/support/hostile/listen.ts';
import type { HostileServers } from '../../../test/support/hostile/hostile-servers.ts';
import { startHostileProcess } from '../../../test/support/hostile/hostile-process.ts';
import { expectAnswer, expectEndsByTimeout } from '../../../test/support/expect-timeout.ts';
import type { ProbeContext } from '../probe.ts';

const PASSWORD = 'br-Secret-1414';
const runWith = (config: Record<string, unknown>) => (ctx: ProbeContext) => browserProbe.run(browserProbe.schema.parse(config), ctx);
// A definite answer gets ANSWER_TIMEOUT_MS and must come before the signal; a case that waits for
// its time to run out is judged by the probe's own latency against the timeout plus the
// event-loop lag measured meanwhile (expect-timeout.ts), so a busy machine fails neither.
const run = (config: Record<string, unknown>) => expectAnswer(runWith(config));

const LOGIN_PAGE = `<!doctype html><title>Login</title>
<form id="f"><input id="user"><input id="password" type="password"><button id="go" type="submit">Sign in</button></form>
<p id="out"></p>
<script>
document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  const ok = document.getElementById('user').value === 'monitor' && document.getElementById('password').value === '${PASSWORD}';
  document.getElementById('out').textContent = ok ? 'Signed in' : 'Access denied';
});
</script>`;

describe('browser probe config', () => {
  it('validates steps with a clear message', () => {
    const parsed = browserProbe.schema.safeParse({ url: 'http://x.test/', steps: [{ tap: '#x' }] });
    assert.equal(parsed.success, false);
    assert.match(parsed.error!.issues[0].message, /must be one of \{ goto: url \}/);
    assert.equal(browserProbe.describe(browserProbe.schema.parse({ url: 'https://u:p@x.test/app' })), 'https://x.test/app');
  });

  it('fails with a clear error where Chromium is not installed', async () => {
    const outcome = await run({ url: 'http://127.0.0.1:9/', executablePath: '/nonexistent/chromium' });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.class, 'protocol');
    assert.match(outcome.failure!.message, /browser checks need Chromium at \/nonexistent\/chromium, which is not installed on this host \(Debian: apt-get install chromium\)/);
  });
});

describe('browser probe driving Chromium', { skip: !browserAvailable() && 'Chromium is not installed (apt-get install chromium)' }, () => {
  let server: Listening;
  let hostile: HostileServers;
  let base: string;
  before(async () => {
    hostile = await startHostileProcess();
    server = await listenTracked(
      createServer((req, res) => {
        if (req.url === '/login') return res.writeHead(200, { 'content-type': 'text/html' }).end(LOGIN_PAGE);
        if (req.url === '/broken') return res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal error</h1>');
        res.writeHead(404).end();
      }),
    );
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await Promise.all([server?.close(), hostile?.close()]);
  });

  const login = (password: string) => ({
    url: `${base}/login`,
    steps: [{ fill: { selector: '#user', value: 'monitor' } }, { fill: { selector: '#password', value: password } }, { click: '#go' }, { expectText: { selector: '#out', text: 'Signed in' } }],
  });

  it('is up when the script passes, with a timing per step', async () => {
    const outcome = await run(login(PASSWORD));
    assert.equal(outcome.ok, true, JSON.stringify(outcome.failure));
    const steps = outcome.details!.steps as { step: string; ms: number; ok: boolean }[];
    assert.deepEqual(steps.map((s) => s.step), [`goto ${base}/login`, 'fill "#user"', 'fill "#password"', 'click "#go"', 'expectText "Signed in" in "#out"']);
    assert.ok(steps.every((s) => s.ok && s.ms >= 0));
    assert.equal(outcome.details!.status, 200);
    assert.equal(outcome.details!.screenshot, undefined);
  });

  it('is down (body) when the text never appears, naming the step, with a bounded screenshot', async () => {
    // the full answer timeout: Chromium must get to step 5 before the time is up, however busy the machine
    const outcome = await expectEndsByTimeout(runWith(login('wrong-password')), 15_000);
    assert.equal(outcome.failure?.class, 'body', JSON.stringify(outcome.failure));
    assert.match(outcome.failure!.message, /^step 5 \(expectText "Signed in" in "#out"\): the text did not appear/);
    const shot = outcome.details!.screenshot as { type: string; bytes: number; data: string };
    assert.equal(shot.type, 'image/jpeg');
    assert.ok(shot.bytes > 1000 && shot.bytes <= 96 * 1024, `${shot.bytes} bytes`);
    assert.deepEqual([...Buffer.from(shot.data, 'base64').subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    assert.doesNotMatch(JSON.stringify({ ...outcome, details: { ...outcome.details, screenshot: undefined } }), /Secret-1414/);
  });

  it('is down (status) for an error page, (refused) for a closed port, (timeout) for a silent one', async () => {
    const broken = await run({ url: `${base}/broken` });
    assert.equal(broken.failure?.class, 'status');
    assert.match(broken.failure!.message, /status 500/);
    const closed = await run({ url: `http://127.0.0.1:${hostile.ports.closed}/` });
    assert.equal(closed.failure?.class, 'refused', JSON.stringify(closed.failure));
    const silent = await expectEndsByTimeout(runWith({ url: `http://127.0.0.1:${hostile.ports.silent}/`, screenshotOnFailure: false }), 5000);
    assert.equal(silent.failure?.class, 'timeout', JSON.stringify(silent.failure));
  });
});
