/**
 * deploy/systemd/upstate.service: `systemd-analyze verify` (systemd's own parser: unknown keys,
 * bad values and missing executables are reported) must print nothing, `systemd-analyze security
 * --offline` must rate it "OK" or better, and the hardening the install guide promises is there.
 * Skipped, saying so, only when systemd-analyze is absent (Debian package `systemd`).
 * Not run here: starting the unit (no systemd as PID 1 in this environment).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const UNIT = resolve(import.meta.dirname, '../../deploy/systemd/upstate.service');
const text = readFileSync(UNIT, 'utf8');
const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const skip = analyze.error ? 'systemd-analyze is not installed (Debian package "systemd"); .ci/run installs it' : false;

/** Every `Key=value` of the [Service] section (repeated keys keep every value). */
function serviceSection(): Map<string, string[]> {
  const section = /\[Service\]\n([\s\S]*?)(?=\n\[|$)/.exec(text)![1];
  const keys = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) keys.set(match[1], [...(keys.get(match[1]) ?? []), match[2]]);
  }
  return keys;
}

describe('deploy/systemd/upstate.service', () => {
  let dir: string;
  let unit: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-systemd-'));
    unit = join(dir, 'upstate.service');
    // verify checks that ExecStart's program exists. The unit names /usr/bin/node (the distro
    // package's path, docs/deploy.md); where this machine has no /usr/bin/node, the copy names
    // the node running this test instead. Nothing else is changed.
    writeFileSync(unit, existsSync('/usr/bin/node') ? text : text.replaceAll('/usr/bin/node ', `${process.execPath} `));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('systemd-analyze verify reports nothing', { skip }, () => {
    const run = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
    assert.equal(`${run.stdout}${run.stderr}`.trim(), '');
    assert.equal(run.status, 0);
  });

  it('verify does catch mistakes (so a clean run means something)', { skip }, () => {
    const broken = join(dir, 'broken.service');
    writeFileSync(broken, readFileSync(unit, 'utf8').replace('ProtectSystem=strict', 'ProtectSystem=strickt\nProtectSytem=yes'));
    const run = spawnSync('systemd-analyze', ['verify', '--man=no', broken], { encoding: 'utf8' });
    assert.match(run.stderr, /Failed to parse protect system value/);
    assert.match(run.stderr, /Unknown key 'ProtectSytem'/);
  });

  it('systemd-analyze security --offline rates the exposure 2.0 or lower ("OK")', { skip }, () => {
    const run = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', '--no-pager', unit], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout.split('\n').slice(-3).join('\n'));
    assert.match(run.stdout, /Overall exposure level for upstate\.service: [0-2]\.\d/);
  });

  it('has the promised hardening, state and reload wiring', () => {
    const keys = serviceSection();
    const value = (key: string) => keys.get(key)?.at(-1);
    assert.ok(value('DynamicUser') === 'yes' || value('User'), 'a dedicated or dynamic user');
    assert.equal(value('StateDirectory'), 'upstate');
    assert.equal(value('ProtectSystem'), 'strict');
    assert.equal(value('NoNewPrivileges'), 'yes');
    assert.equal(value('CapabilityBoundingSet'), '');
    assert.ok(Number(value('LimitNOFILE')) >= 65536);
    assert.equal(value('ExecReload'), '/bin/kill -HUP $MAINPID');
    assert.notEqual(value('MemoryDenyWriteExecute'), 'yes', "V8's JIT needs W+X memory");
    const start = value('ExecStart')!;
    assert.match(start, / serve --config \/etc\/upstate\/upstate\.yaml --data \/var\/lib\/upstate /, 'data in the StateDirectory, config in the ConfigurationDirectory');
    assert.equal(value('ConfigurationDirectory'), 'upstate');
    assert.match(value('ExecStartPre')!, / validate --config \/etc\/upstate\/upstate\.yaml$/);
    assert.ok(Number.parseInt(value('TimeoutStopSec')!, 10) >= 30, 'time to flush on SIGTERM');
  });
});
