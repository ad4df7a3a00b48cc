/**
 * What `npm pack` ships (issue 11): the built CLI, templates and examples, and nothing of the
 * tests — no test, bench, fixture or screenshot file, and no built file that imports node:test.
 * The test builds into a temporary folder with the real tsconfig.build.json and packs a copy of
 * the real package.json there, so it never touches the working tree's dist/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
/** Paths a package must never contain: test code, benchmarks, fixtures, screenshots. */
const NOT_SHIPPED = /(^|\/)(tests?|__tests__|bench|benchmarks?|fixtures?|screenshots?)(\/|$)|\.(test|spec|bench)\.|\.process\.|preload\./i;

describe('npm package contents', () => {
  let dir: string;
  let files: string[];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstate-pack-'));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { stdio: 'pipe' });
    for (const entry of ['package.json', 'README.md', 'LICENSE', 'templates', 'examples']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    files = (JSON.parse(json) as { files: { path: string }[] }[])[0].files.map((file) => file.path);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('includes the CLI, the built sources, templates and examples', () => {
    for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/cli/bin.js', 'dist/cli/main.js', 'examples/upstate.yaml', 'templates/default/index.njk']) {
      assert.ok(files.includes(path), `${path} is packed`);
    }
    assert.ok(files.some((path) => path.startsWith('dist/storage/')), 'the storage backends are packed');
  });

  it('lists no test, bench, fixture or screenshot file', () => {
    assert.ok(files.length > 50, `packed ${files.length} files`);
    assert.deepEqual(files.filter((path) => NOT_SHIPPED.test(path)), []);
    assert.deepEqual(files.filter((path) => !/^(dist|templates|examples)\/|^(package\.json|README\.md|LICENSE)$/.test(path)), []);
  });

  it('ships no built file that needs test tooling', () => {
    const offenders = files
      .filter((path) => path.endsWith('.js'))
      .filter((path) => /['"]node:test['"]|test\/support\//.test(readFileSync(join(dir, path), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('ships no source map that points at a file it does not ship', () => {
    const dangling = files
      .filter((path) => path.endsWith('.map'))
      .flatMap((path) => (JSON.parse(readFileSync(join(dir, path), 'utf8')) as { sources: string[] }).sources.map((source) => normalize(join(dirname(path), source))))
      .filter((source) => !files.includes(source));
    assert.deepEqual(dangling, []);
  });
});
