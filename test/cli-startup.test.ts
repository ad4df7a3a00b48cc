/**
 * Optional integrations load only when the config uses them (issue 11): `upstate validate`,
 * `check` and embedded `serve` on a config without SNS, email, PostgreSQL or DynamoDB must not
 * load the AWS SDK, pg or nodemailer. Each command runs in its own process with a preload that
 * records every module the process resolves (test/support/record-modules.preload.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from './support/spawn-cli.ts';

const CONFIG = join(import.meta.dirname, 'fixtures/startup/no-integrations.yaml');
const PRELOAD = join(import.meta.dirname, 'support/record-modules.preload.ts');

/** Package names of the optional integrations, as they appear in a resolved URL. */
const OPTIONAL = [/\/node_modules\/@aws-sdk\//, /\/node_modules\/@smithy\//, /\/node_modules\/pg\//, /\/node_modules\/pg-[a-z-]+\//, /\/node_modules\/nodemailer\//,
  // probe drivers (issue 18): loaded by the first check of their kind, never before
  /\/node_modules\/@grpc\//, /\/node_modules\/grpc-health-check\//, /\/node_modules\/protobufjs\//, /\/node_modules\/mysql2\//, /\/node_modules\/playwright-core\//, /\/node_modules\/ssh2\//];
const PROM = /\/node_modules\/prom-client\//;

/** Runs `upstate <args>` with the recorder; returns the exit code, output and resolved URLs. */
async function recordModules(args: string[], ready?: RegExp): Promise<{ code: number | null; output: string; modules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'upstate-startup-'));
  try {
    const file = join(dir, 'modules.txt');
    const cli = startCli(args.map((arg) => arg.replace('<dir>', dir)), { UPSTATE_RECORD_MODULES: file, UPSTATE_LOG_LEVEL: 'info' }, ['--import', PRELOAD]);
    if (ready) {
      await cli.waitForOutput(ready, 60_000);
      await cli.stop(15_000);
    }
    const code = await cli.exited;
    return { code, output: cli.output(), modules: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loaded(modules: string[], patterns: RegExp[]): string[] {
  return modules.filter((url) => patterns.some((pattern) => pattern.test(url)));
}

describe('CLI start-up loads no optional integration it does not use', () => {
  it('validate', async () => {
    const { code, output, modules } = await recordModules(['validate', '--config', CONFIG]);
    assert.equal(code, 0, output);
    // The recorder works: the config loader's own dependencies are there.
    assert.ok(modules.some((url) => url.includes('/node_modules/zod/')), 'zod was recorded');
    assert.ok(modules.some((url) => url.includes('/node_modules/yaml/')), 'yaml was recorded');
    assert.deepEqual(loaded(modules, OPTIONAL), []);
    assert.deepEqual(loaded(modules, [PROM]), [], 'validate serves no /metrics');
  });

  it('check', async () => {
    const { code, output, modules } = await recordModules(['check', '--config', CONFIG]);
    assert.equal(code, 1, output); // the one check targets a closed port, so it is down
    assert.match(output, /Local\s+down/);
    assert.ok(modules.some((url) => url.includes('/node_modules/undici/')), 'the http probe ran');
    assert.deepEqual(loaded(modules, OPTIONAL), []);
    assert.deepEqual(loaded(modules, [PROM]), []);
  });

  it(
    'serve (embedded)',
    async () => {
      const { modules, output } = await recordModules(
        ['serve', '--config', CONFIG, '--port', '0', '--host', '127.0.0.1', '--data', '<dir>'],
        /Upstate is serving/,
      );
      assert.ok(modules.some((url) => url.includes('/node_modules/prom-client/')), `serve has /metrics\n${output}`);
      assert.deepEqual(loaded(modules, OPTIONAL), []);
    },
  );
});
