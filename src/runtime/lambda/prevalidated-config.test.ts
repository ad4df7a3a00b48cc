/**
 * The config validated at build time (upstate.config.json): the Lambda config loader takes it
 * instead of parsing the YAML only when it was built from exactly the bundled YAML, and the
 * result equals what parsing gives.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { loadLambdaConfig } from './load-lambda-config.ts';
import { nonJsonPath, PREVALIDATED_FILE, prevalidatedJson } from './prevalidated-config.ts';
import type { SecretClients } from './secret-references.ts';

const YAML = `
page:
  title: Prevalidated
  templates: ./theme
scheduler:
  concurrency: 40
checks:
  - name: Website
    interval: 30s
    http:
      url: http://127.0.0.1:9/health
`;

/** No secret is referenced: a client call would be a bug. */
const clients: SecretClients = {
  ssm: () => {
    throw new Error('no SSM read expected');
  },
  secretsManager: () => {
    throw new Error('no Secrets Manager read expected');
  },
};

describe('Lambda config validated at build time', () => {
  let build: string;
  let bundle: string;

  /** What scripts/package-aws.mjs does: validate the copy in the build folder, write the JSON. */
  const packageInto = async (dir: string, yaml: string) => {
    await writeFile(join(dir, 'upstate.yaml'), yaml);
    const config = await loadConfig(join(dir, 'upstate.yaml'), { env: {} });
    return prevalidatedJson(config, yaml, dir);
  };

  before(async () => {
    build = await mkdtemp(join(tmpdir(), 'upstate-prevalidate-build-'));
    bundle = await mkdtemp(join(tmpdir(), 'upstate-prevalidate-task-'));
  });
  after(async () => {
    await rm(build, { recursive: true, force: true });
    await rm(bundle, { recursive: true, force: true });
  });

  it('equals the parsed config, with paths resolved against the folder it runs from', async () => {
    const json = await packageInto(build, YAML);
    // deployed: the same files in another folder (/var/task on Lambda)
    await writeFile(join(bundle, 'upstate.yaml'), YAML);
    await writeFile(join(bundle, PREVALIDATED_FILE), json);
    const fromJson = await loadLambdaConfig({ env: {}, bundleDir: bundle, clients });
    const parsed = await loadConfig(join(bundle, 'upstate.yaml'), { env: {} });
    assert.deepEqual(fromJson, JSON.parse(JSON.stringify(parsed)));
    assert.equal(fromJson.source, join(bundle, 'upstate.yaml'));
    assert.ok(!json.includes(build), 'no build path is shipped');
  });

  it('is what the loader returns (the YAML is not parsed) while the YAML is unchanged', async () => {
    const stored = JSON.parse(await packageInto(build, YAML));
    // a value only the JSON has: seen only if the loader took the JSON
    stored.config.scheduler.concurrency = 41;
    await writeFile(join(bundle, 'upstate.yaml'), YAML);
    await writeFile(join(bundle, PREVALIDATED_FILE), JSON.stringify(stored));
    assert.equal((await loadLambdaConfig({ env: {}, bundleDir: bundle, clients })).scheduler.concurrency, 41);
  });

  it('is ignored once the bundled YAML was edited after the build', async () => {
    await writeFile(join(bundle, PREVALIDATED_FILE), await packageInto(build, YAML));
    await writeFile(join(bundle, 'upstate.yaml'), YAML.replace('concurrency: 40', 'concurrency: 7'));
    assert.equal((await loadLambdaConfig({ env: {}, bundleDir: bundle, clients })).scheduler.concurrency, 7);
    assert.match(await readFile(join(bundle, PREVALIDATED_FILE), 'utf8'), /"concurrency":40/);
  });

  it('a config JSON cannot carry (activeHours days are a Set) is found, so it is not shipped as JSON', async () => {
    const routed = `${YAML}notifiers:\n  chat: { kind: webhook, url: "http://127.0.0.1:9/hook" }\nalerts:\n  routes:\n    - channels: [chat]\n      activeHours: { days: [mon-fri], from: "09:00", to: "18:00" }\n`;
    await writeFile(join(build, 'upstate.yaml'), routed);
    const config = await loadConfig(join(build, 'upstate.yaml'), { env: {} });
    // what shipping it would do: the days come back as {}
    assert.deepEqual(JSON.parse(prevalidatedJson(config, routed, build)).config.alerts.routes[0].activeHours[0].days, {});
    assert.equal(nonJsonPath(config), 'config.alerts.routes.0.activeHours.0.days');
    await writeFile(join(build, 'plain.yaml'), YAML);
    assert.equal(nonJsonPath(await loadConfig(join(build, 'plain.yaml'), { env: {} })), undefined);
    assert.equal(nonJsonPath({ a: [1, 'x', null, { b: Number.NaN }] }), 'config.a.3.b');
    assert.equal(nonJsonPath({ at: new Date(0) }), 'config.at');
  });
});
