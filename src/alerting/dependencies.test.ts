import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyIssues } from './dependencies.ts';
import { dependenciesOf } from '../domain/check-dependencies.ts';
import { parseConfig } from '../config/load-config.ts';
import { ConfigError } from '../config/config-error.ts';

describe('check dependencies', () => {
  const checks = [
    { name: 'db', group: 'core' },
    { name: 'cache', group: 'core' },
    { name: 'api', group: 'core', dependsOn: ['core'] },
    { name: 'web', dependsOn: ['api', 'db'] },
  ];

  it('expands groups and leaves the check itself out', () => {
    assert.deepEqual(dependenciesOf(checks[2], checks), ['db', 'cache']);
    assert.deepEqual(dependenciesOf(checks[3], checks), ['api', 'db']);
    assert.deepEqual(dependencyIssues(checks), []);
  });

  it('refuses unknown names, self-dependencies and cycles', () => {
    const bad = [{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['c', 'nope'] }];
    assert.deepEqual(
      dependencyIssues(bad).map((i) => [i.path.join('.'), i.message]),
      [
        ['checks.0.dependsOn', 'depends on itself through a cycle of dependencies'],
        ['checks.1.dependsOn', 'depends on itself through a cycle of dependencies'],
        ['checks.2.dependsOn.0', 'a check cannot depend on itself'],
        ['checks.2.dependsOn.1', 'no check or group is named "nope"'],
      ],
    );
  });

  it('reports a bad dependency through the config loader with file and line', () => {
    const text = ['checks:', '  - name: api', '    http: { url: https://api.example.com }', '    dependsOn: [dbb]'].join('\n');
    assert.throws(
      () => parseConfig(text, '/tmp/upstate.yaml', { env: {} }),
      (error: unknown) => error instanceof ConfigError && /upstate\.yaml:4 checks\[0\]\.dependsOn\[0\]: no check or group is named "dbb"/.test(error.message),
    );
  });
});
