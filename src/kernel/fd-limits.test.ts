import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { LOW_FD_LIMIT, logFdLimits, parseFdLimits } from './fd-limits.ts';

function recorder() {
  const lines: { level: string; details: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (details: object, message: string) => void lines.push({ level, details: details as Record<string, unknown>, message });
  return { lines, logger: { info: at('info'), warn: at('warn') } };
}

describe('fd limits', () => {
  it('parses /proc/<pid>/limits, including unlimited', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \n';
    assert.deepEqual(parseFdLimits(text), { soft: 1024, hard: 524288 });
    assert.deepEqual(parseFdLimits('Max open files unlimited unlimited files'), { soft: Infinity, hard: Infinity });
    assert.equal(parseFdLimits('Max processes 10 10'), undefined);
  });

  it('logs both limits, and warns with the fix when they are low', () => {
    const high = recorder();
    logFdLimits(high.logger, () => 'Max open files 65536 65536 files');
    assert.deepEqual(high.lines.map((l) => [l.level, l.details.softFdLimit, l.details.hardFdLimit]), [['info', 65536, 65536]]);
    const low = recorder();
    logFdLimits(low.logger, () => 'Max open files 1024 1024 files');
    assert.equal(low.lines[0].level, 'warn');
    assert.match(low.lines[0].message, /LimitNOFILE/);
    const none = recorder();
    assert.equal(logFdLimits(none.logger, () => { throw new Error('ENOENT'); }), undefined);
    assert.equal(none.lines.length, 0);
  });

  it('reads what a real process under a low limit has: Node has raised its soft limit to the hard one', { skip: process.platform !== 'linux' }, () => {
    const script = `import('${new URL('./fd-limits.ts', import.meta.url).href}').then((m) => { const lines = []; const log = (l) => (d, msg) => lines.push([l, d]); m.logFdLimits({ info: log('info'), warn: log('warn') }); console.log(JSON.stringify(lines)); })`;
    const out = execFileSync('prlimit', ['--nofile=256:1000', process.execPath, '-e', script], { encoding: 'utf8' });
    const [[level, details]] = JSON.parse(out) as [string, { softFdLimit: number; hardFdLimit: number }][];
    assert.equal(level, 'warn', `limit 1000 < ${LOW_FD_LIMIT}`);
    assert.deepEqual(details, { softFdLimit: 1000, hardFdLimit: 1000, recommended: LOW_FD_LIMIT });
  });
});
