import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTheme, defaultThemeDir } from './theme.ts';

describe('theme', () => {
  it('finds templates/default from src/http (tsx) and from dist/http (after tsc)', () => {
    const root = mkdtempSync(join(tmpdir(), 'upstate-pkg-'));
    try {
      mkdirSync(join(root, 'templates', 'default'), { recursive: true });
      writeFileSync(join(root, 'templates', 'default', 'layout.njk'), 'x');
      for (const dir of [join(root, 'src', 'http'), join(root, 'dist', 'http')]) {
        mkdirSync(dir, { recursive: true });
        assert.equal(defaultThemeDir(dir), join(root, 'templates', 'default'));
      }
      assert.throws(() => defaultThemeDir(tmpdir()), /cannot find templates\/default/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a missing override folder at start-up', () => {
    assert.throws(() => createTheme({ overrideDir: join(tmpdir(), 'upstate-no-such-theme') }), /page\.templates: folder .* does not exist/);
  });

  it('autoescapes every interpolation, including in override templates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstate-override-'));
    try {
      writeFileSync(join(dir, 'probe.njk'), '<p title="{{ v }}">{{ v }}</p>');
      const theme = createTheme({ overrideDir: dir });
      assert.equal(theme.render('probe.njk', { v: '"><script>x</script>' }), '<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&quot;&gt;&lt;script&gt;x&lt;/script&gt;</p>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
