import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileLinearRegex, linearRegex, linearRegexProblem, MAX_PROGRAM_SIZE } from './linear-regex.ts';
import { parseConfig } from '../config/load-config.ts';
import { ConfigError, formatIssue } from '../config/config-error.ts';

function configIssues(lines: string[]): string[] {
  try {
    parseConfig(lines.join('\n'), '/etc/upstate/upstate.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error.issues.map(formatIssue);
  }
  return assert.fail('expected the config to be rejected');
}

describe('linear-time regular expressions', () => {
  it('answers a catastrophic-backtracking pattern on a 1 MiB text (JavaScript RegExp needs ~2^n steps)', () => {
    const regex = compileLinearRegex('^(a+)+$');
    // 27 a's and a '!' take a backtracking engine tens of seconds; 1 MiB would never finish
    assert.equal(regex.test(`${'a'.repeat(27)}!`), false);
    assert.equal(regex.test(`${'a'.repeat(1 << 20)}!`), false);
    assert.equal(regex.test('a'.repeat(1 << 20)), true);
  });

  it('keeps JavaScript semantics for the usual syntax and flags', () => {
    assert.equal(compileLinearRegex('^UP$', 'i').test('up'), true);
    assert.equal(compileLinearRegex('^b', 'm').test('a\nb'), true);
    assert.equal(compileLinearRegex('^b').test('a\nb'), false);
    assert.equal(compileLinearRegex('a.b', 's').test('a\nb'), true);
    assert.equal(compileLinearRegex('a.b').test('a\nb'), false);
    assert.equal(compileLinearRegex('\\d+\\.\\d+', 'gyu').test('v1.25'), true);
    assert.equal(compileLinearRegex('(?<version>\\d+)').test('v7'), true);
    assert.deepEqual(compileLinearRegex('token=(\\w+)(x)?').exec('a token=abc b'), ['token=abc', 'abc', undefined]);
    assert.equal(compileLinearRegex('nope').exec('text'), null);
  });

  it('refuses what needs backtracking, unknown flags, bad syntax and huge programs, saying why', () => {
    assert.match(linearRegexProblem('(?=a)b') ?? '', /lookaround needs backtracking/);
    assert.match(linearRegexProblem('(?<!a)b') ?? '', /lookaround|named capture/);
    assert.match(linearRegexProblem('(a)\\1') ?? '', /backreferences need backtracking/);
    assert.match(linearRegexProblem('a[') ?? '', /missing closing \]/);
    assert.match(linearRegexProblem('a', 'x') ?? '', /unsupported flag "x"/);
    assert.match(linearRegexProblem('x{600}y{600}') ?? '', new RegExp(`too large \\(\\d+ instructions, at most ${MAX_PROGRAM_SIZE}\\)`));
    assert.equal(linearRegexProblem('^(a+)+$'), undefined);
  });

  it('differs from JavaScript only as documented: \\s is ASCII-only, code points are \\x{…}', () => {
    assert.equal(compileLinearRegex('\\s').test('\u00a0'), false, 'no-break space is not \\s here');
    assert.equal(compileLinearRegex('[\\s\\p{Zs}]').test('\u00a0'), true, 'the documented way to include it');
    assert.equal(compileLinearRegex('\\x{00a0}').test('\u00a0'), true);
    assert.match(linearRegexProblem('\\u00a0') ?? '', /write a code point as \\x\{00a0\}/);
  });

  it('memoises compiled patterns by source and flags', () => {
    assert.equal(linearRegex('^ok$'), linearRegex('^ok$'));
    assert.notEqual(linearRegex('^ok$'), linearRegex('^ok$', 'i'));
  });

  it('refuses such patterns at config load with file:line for every field that takes one', () => {
    const issues = configIssues([
      'checks:',
      '  - name: Body',
      '    http: { url: "http://127.0.0.1:1/", bodyMatches: "(?=up)" }',
      '  - name: Header',
      '    http:',
      '      url: http://127.0.0.1:1/',
      '      headersMatch: { x-version: { regex: "(v)\\\\1" } }',
      '  - name: Banner',
      '    tcp: { host: 127.0.0.1, port: 1, expect: { regex: "a(?<=b)" } }',
    ]);
    const text = issues.join('\n');
    assert.match(text, /upstate\.yaml:3 checks\[0\]\.http\.bodyMatches: must be a valid regular expression for the linear-time engine: .*lookaround/);
    assert.match(text, /upstate\.yaml:7 checks\[1\]\.http\.headersMatch\.x-version\.regex: .*backreferences need backtracking/);
    assert.match(text, /upstate\.yaml:9 checks\[2\]\.tcp\.expect\.regex: .*lookaround/);
    // conditions are compiled once the schema holds
    const conditions = configIssues([
      'checks:',
      '  - name: Condition',
      '    http: { url: "http://127.0.0.1:1/" }',
      '    conditions:',
      '      - body matches /(?!down)/',
    ]).join('\n');
    assert.match(conditions, /upstate\.yaml:5 checks\[0\]\.conditions\[0\].*invalid regular expression \/\(\?!down\)\/: .*lookaround/);
  });
});
