/**
 * The container image without a container engine (none runs here): the Dockerfile and
 * .dockerignore are checked statically, then the `build` stage's steps are repeated in a temp
 * directory — COPY from a context filtered by .dockerignore, every RUN line run as written — the
 * runtime stage's COPY lines are applied to a fake image root, and the result is started with the
 * image's own CMD (as uid 65532 with root-owned app files, when the test runs as root) and asked
 * the image's own HEALTHCHECK command. What this cannot show: the base images themselves, layer
 * sizes, and a truly read-only root filesystem (docs/deploy.md says so).
 *
 * One substitution: the `RUN npm ci` line is replaced by a hard-linked copy of this checkout's
 * node_modules — installed by `npm ci` from the same package-lock.json — because a fresh `npm ci`
 * takes a minute here; `npm prune --omit=dev` and the slimming script then run for real.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { dockerignore, execForm, parseDockerfile, splitFlags, type Stage } from '../support/dockerfile.ts';
import { startProcess } from '../support/spawn-cli.ts';
import { waitFor } from '../support/wait-for.ts';
import { serveArgsError } from '../support/serve-args.ts';
import { freePort } from '../support/free-port.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const stages = parseDockerfile(readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8'));
const build = stages.find((s) => s.name === 'build')!;
const runtime = stages.at(-1)!;
const ignored = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const NONROOT = 65532;

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const one = (stage: Stage, keyword: string) => {
  const found = all(stage, keyword);
  assert.equal(found.length, 1, `${keyword} in stage ${stage.name}`);
  return found[0];
};

function apparentSize(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((sum, name) => sum + apparentSize(join(path, name)), 0);
}

describe('deploy/docker/Dockerfile (static)', () => {
  it('multi-stage: a Node 24 Debian build stage, a distroless Node 24 runtime of the same Debian', () => {
    assert.ok(stages.length >= 3, 'build + runtime');
    assert.match(build.from, /^node:\$\{NODE_MAJOR\}-bookworm-slim$/);
    assert.match(runtime.from, /^gcr\.io\/distroless\/nodejs\$\{NODE_MAJOR\}-debian12:nonroot$/);
    assert.match(stages[0].instructions.find((i) => i.keyword === 'ARG')!.args, /^NODE_MAJOR=24$/);
  });

  it('runtime: non-root, /data volume, HEALTHCHECK on /healthz without curl, SIGTERM, OCI labels', () => {
    assert.equal(one(runtime, 'USER').args, `${NONROOT}:${NONROOT}`);
    assert.deepEqual(execForm(one(runtime, 'VOLUME').args), ['/data']);
    const health = one(runtime, 'HEALTHCHECK').args;
    assert.match(health, /\/healthz/);
    assert.doesNotMatch(health, /curl|wget/, 'distroless has neither');
    assert.equal(one(runtime, 'STOPSIGNAL').args, 'SIGTERM');
    const labels = one(runtime, 'LABEL').args;
    for (const key of ['title', 'description', 'licenses', 'version', 'revision', 'created', 'source']) {
      assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${key}=`), key);
    }
    const chowned = all(runtime, 'COPY').filter((c) => splitFlags(c.args).flags.chown);
    assert.deepEqual(chowned.map((c) => splitFlags(c.args).rest.split(/\s+/).at(-1)), ['/data'], 'only /data is writable by the user');
    const cmd = execForm(one(runtime, 'CMD').args)!;
    assert.deepEqual(cmd.slice(0, 2), ['/app/dist/cli/bin.js', 'serve']);
    assert.equal(serveArgsError(cmd.slice(2)), undefined);
  });

  it('build stage: relative paths only, so its RUN lines can be repeated anywhere', () => {
    for (const run of all(build, 'RUN')) assert.doesNotMatch(run.args, /(^|\s)\/(?!\/)/, `line ${run.line}: ${run.args}`);
  });

  it('.dockerignore sends sources, not tests, node_modules or local state', () => {
    for (const path of ['package.json', 'package-lock.json', 'src/cli/main.ts', 'templates/default/layout.njk', 'examples/upstate.yaml']) {
      assert.equal(ignored(path), false, path);
    }
    for (const path of ['node_modules/hono/package.json', 'src/cli/init.test.ts', 'test/support/wait-for.ts', 'dist/cli/bin.js', 'data/upstate.db', '.git/HEAD', 'bench/run.ts', 'build/aws/web.zip']) {
      assert.equal(ignored(path), true, path);
    }
  });
});

describe('deploy/docker/Dockerfile (build steps repeated, result started)', () => {
  let tmp: string;
  let buildDir: string;
  let image: string;
  let buildLog = '';

  /** Copies `from` (context-relative) to `to`, leaving out what .dockerignore excludes. */
  function copyFromContext(from: string, to: string): void {
    const source = join(ROOT, from);
    assert.equal(ignored(from), false, `COPY ${from}: excluded by .dockerignore`);
    cpSync(source, to, { recursive: true, filter: (path) => path === source || !ignored(relative(ROOT, path)) });
  }

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'upstate-image-'));
    chmodSync(tmp, 0o755);
    buildDir = join(tmp, 'build/app');
    image = join(tmp, 'image');
    mkdirSync(buildDir, { recursive: true });
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    for (const step of build.instructions) {
      if (step.keyword === 'COPY') {
        const parts = splitFlags(step.args).rest.split(/\s+/);
        const to = parts.pop()!;
        const dest = resolve(buildDir, to);
        // Docker: several sources, or a destination ending in "/", copy into that folder
        for (const from of parts) copyFromContext(from, parts.length > 1 || to.endsWith('/') ? join(dest, from.split('/').at(-1)!) : dest);
      } else if (step.keyword === 'RUN' && /^npm ci\b/.test(step.args)) {
        // the one substitution (see the top of this file); the hidden lockfile npm rewrites is a real copy
        try {
          execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(buildDir, 'node_modules')], { stdio: 'pipe' });
        } catch {
          // the temp directory is on another filesystem: hard links cannot cross it, copy instead
          rmSync(join(buildDir, 'node_modules'), { recursive: true, force: true });
          execFileSync('cp', ['-a', join(ROOT, 'node_modules'), join(buildDir, 'node_modules')]);
        }
        rmSync(join(buildDir, 'node_modules/.package-lock.json'), { force: true });
        copyFileSync(join(ROOT, 'node_modules/.package-lock.json'), join(buildDir, 'node_modules/.package-lock.json'));
      } else if (step.keyword === 'RUN') {
        const run = spawnSync('/bin/sh', ['-c', step.args], { cwd: buildDir, env, encoding: 'utf8' });
        buildLog += `$ ${step.args}\n${run.stdout}${run.stderr}`;
        assert.equal(run.status, 0, `line ${step.line} failed:\n${buildLog}`);
      }
    }
    // the runtime stage's COPY --from=build lines, onto a fake image root
    for (const step of all(runtime, 'COPY')) {
      const { flags, rest } = splitFlags(step.args);
      assert.equal(flags.from, 'build', `line ${step.line}`);
      const [from, to] = rest.split(/\s+/);
      const target = join(image, to.startsWith('/') ? to : join('/app', to));
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(tmp, 'build', from), target);
      if (flags.chown && process.getuid?.() === 0) chownSync(target, NONROOT, NONROOT);
    }
    for (const dir of [tmp, join(tmp, 'build'), image]) chmodSync(dir, 0o755);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('prunes to production dependencies, each still loadable', () => {
    const modules = join(image, 'app/node_modules');
    // dev-only as the lockfile marks them (a devDependency a production package also needs, such as
    // @types/node under protobufjs and mysql2, stays), transitive ones included
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => entry.dev && path.startsWith('node_modules/')).map(([path]) => path);
    assert.ok(devOnly.length > Object.keys(pkg.devDependencies).length / 2, `${devOnly.length} dev-only packages in the lockfile`);
    for (const path of devOnly) assert.equal(existsSync(join(image, 'app', path)), false, `${path} (dev only) left in the image`);
    const loaded = spawnSync(process.execPath, ['--input-type=module', '-e', `for (const d of ${JSON.stringify(Object.keys(pkg.dependencies))}) await import(d);`], {
      cwd: join(image, 'app'),
      encoding: 'utf8',
    });
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.equal(existsSync(join(modules, 'better-sqlite3/deps')), false, 'SQLite C sources dropped');
    const mb = (path: string) => apparentSize(join(image, path)) / 1e6;
    // the figure docs/deploy.md quotes for the image estimate
    console.log(`image app files: node_modules ${mb('app/node_modules').toFixed(1)} MB, dist ${mb('app/dist').toFixed(1)} MB, templates ${mb('app/templates').toFixed(2)} MB`);
    assert.ok(mb('app/node_modules') < 40, `${mb('app/node_modules')} MB`);
  });

  it('starts with the image CMD on its default config, answers the HEALTHCHECK, shows real results, stops on SIGTERM', async () => {
    const port = await freePort();
    const asRoot = process.getuid?.() === 0;
    // run as the image's user when this node binary is reachable for it (CI keeps node under $HOME)
    const runAs = asRoot && spawnSync(process.execPath, ['-e', '0'], { uid: NONROOT, gid: NONROOT }).status === 0 ? NONROOT : undefined;
    const config = join(tmp, 'upstate.yaml');
    // the default config checks the container's own port 3000; here the server gets a free port
    writeFileSync(config, readFileSync(join(image, 'etc/upstate/upstate.yaml'), 'utf8').replaceAll(':3000/', `:${port}/`).replace('port: 3000', `port: ${port}`));
    const map: Record<string, string> = {
      '/app/dist/cli/bin.js': join(image, 'app/dist/cli/bin.js'),
      '/etc/upstate/upstate.yaml': config,
      '/data': join(image, 'data'),
      '3000': String(port),
      '0.0.0.0': '127.0.0.1',
    };
    const args = execForm(one(runtime, 'CMD').args)!.map((arg) => map[arg] ?? arg);
    const server = startProcess(process.execPath, args, { cwd: join(image, 'app'), uid: runAs, gid: runAs, env: { NODE_ENV: 'production', UPSTATE_LOG_LEVEL: 'info' } });
    try {
      await server.waitForOutput(/Upstate is serving/);
      const health = execForm(one(runtime, 'HEALTHCHECK').args.replace(/^(--\S+\s+)*CMD\s+/, ''))!;
      assert.equal(health[0], '/nodejs/bin/node');
      const healthcheck = (url: string) => spawnSync(process.execPath, health.slice(1), { env: { ...process.env, HEALTHCHECK_URL: url } }).status;
      assert.equal(healthcheck(`http://127.0.0.1:${port}/healthz`), 0);
      assert.equal(healthcheck(`http://127.0.0.1:${await freePort()}/healthz`), 1, 'the health check can fail');

      const components = await waitFor('a result for every example check', async () => {
        const body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as { components: { name: string; status: string }[] };
        return body.components.every((c) => c.status !== 'unknown') ? body.components : undefined;
      }, 30_000);
      // up, or degraded when a busy machine answers slowly: either way reached, nothing down
      assert.deepEqual(components.filter((c) => !['up', 'degraded'].includes(c.status)).map((c) => c.name), [], 'the local example is all up on a first run');
    } finally {
      await server.stop(30_000);
    }
    assert.equal(await server.exited, 0, server.output());
    assert.match(server.output(), /"msg":"stopped"/);
    const db = join(image, 'data/upstate.db');
    assert.ok(existsSync(db), 'the store is in /data');
    if (runAs) assert.equal(statSync(db).uid, NONROOT);
  });
});
