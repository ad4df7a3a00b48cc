import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ProbeOutcome } from '../domain/result.ts';
import { compileCondition, compileConditions } from './compile-condition.ts';
import { createOutcomeView } from './outcome-view.ts';

const DAY = 86_400_000;

/** An HTTPS answer with a JSON body, a certificate and (unusually) DNS facts, so one outcome serves most rows. */
const http: ProbeOutcome = {
  ok: true,
  latencyMs: 120,
  timings: { dns: 2, connect: 5, tls: 30, firstByte: 100, total: 120 },
  statusCode: 200,
  body: JSON.stringify({ status: 'UP', items: [{ id: 3 }, { id: 'x' }], count: 2, tags: ['a', 'b'], error: null, ok: true, 'a b': 1 }),
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '512' },
  details: { certificate: { expiresInMs: 20 * DAY } },
};
const text: ProbeOutcome = { ok: true, latencyMs: 450, statusCode: 503, body: 'service ok 42', headers: {} };
const dns: ProbeOutcome = {
  ok: true,
  latencyMs: 8,
  details: { dns: { rcode: 'NOERROR', answers: ['10.0.0.1', { type: 'AAAA', data: '2001:DB8::1' }, 'Mail.Example.com.'] } },
};
const refused: ProbeOutcome = { ok: false, latencyMs: 1, failure: { class: 'refused', message: 'ECONNREFUSED' } };
const badBody: ProbeOutcome = { ok: true, latencyMs: 1, statusCode: 200, body: '<html>', headers: {} };

describe('compileCondition: evaluation', () => {
  const cases: [string, ProbeOutcome, boolean, string][] = [
    // condition, outcome, passed, actual
    ['status == 200', http, true, '200'],
    ['status == 200', text, false, '503'],
    ['status != 200', text, true, '503'],
    ['status in [200, 204]', http, true, '200'],
    ['status in [200, 204]', text, false, '503'],
    ['status not in [500, 503]', text, false, '503'],
    ['status >= 200', http, true, '200'],
    ['status < 300', text, false, '503'],
    ['status matches "^2"', http, true, '200'],
    ['status == 200', refused, false, 'no HTTP status'],
    ['status != 200', refused, false, 'no HTTP status'],
    ['responseTime < 300ms', http, true, '120ms'],
    ['responseTime < 300ms', text, false, '450ms'],
    ['responseTime <= 450', text, true, '450ms'],
    ['responseTime > 0.1s', http, true, '120ms'],
    ['timings.firstByte < 1s', http, true, '100ms'],
    ['timings.tls < 1s', text, false, 'no tls timing'],
    ['body contains "ok"', text, true, '"service ok 42"'],
    ['body contains ok', text, true, '"service ok 42"'],
    ['body contains 42', text, true, '"service ok 42"'],
    ['body !contains "error"', text, true, '"service ok 42"'],
    ['body not contains "ok"', text, false, '"service ok 42"'],
    ['body == "service ok 42"', text, true, '"service ok 42"'],
    ['body matches "ok \\d+$"', text, true, '"service ok 42"'],
    ['body matches /SERVICE/i', text, true, '"service ok 42"'],
    ['body matches /SERVICE/', text, false, '"service ok 42"'],
    ['body !matches "^<html"', badBody, false, '"<html>"'],
    ['body contains "ok"', refused, false, 'no body'],
    ['body.$.status == "UP"', http, true, '"UP"'],
    ['body.$.status == UP', http, true, '"UP"'],
    ['body.$.status != "UP"', http, false, '"UP"'],
    ['body.$.status in [UP, DEGRADED]', http, true, '"UP"'],
    ['body.$.items[0].id == 3', http, true, '3'],
    ['body.$.items[1].id == 3', http, false, '"x"'],
    ['body.$.items[1].id == "x"', http, true, '"x"'],
    ['body.$.items[0].id == "3"', http, false, '3'],
    ['body.$.items[5].id == 3', http, false, 'body.$.items[5].id not found'],
    ['body.$.items.id == 3', http, false, 'body.$.items.id not found'],
    ['body.$.missing == 3', http, false, 'body.$.missing not found'],
    ['body.$["a b"] == 1', http, true, '1'],
    ["body.$['a b'] == 1", http, true, '1'],
    ['body.$.items[-1].id == "x"', http, true, '"x"'],
    ['body.$.items[-3].id == 3', http, false, 'body.$.items[-3].id not found'],
    ['body.$.items.length == 2', http, true, '2'],
    ['body.$.tags.length < 2', http, false, '2'],
    ['body.$.count >= 2', http, true, '2'],
    ['body.$.status > 2', http, false, '"UP"'],
    ['body.$.tags contains "b"', http, true, '["a","b"]'],
    ['body.$.tags contains c', http, false, '["a","b"]'],
    ['body.$.status contains "U"', http, true, '"UP"'],
    ['body.$.error == null', http, true, 'null'],
    ['body.$.ok == true', http, true, 'true'],
    ['body.$.status matches "^U"', http, true, '"UP"'],
    ['body.$.status == "UP"', badBody, false, 'body is not JSON'],
    ['body.$.status == "UP"', refused, false, 'no body'],
    ['header.content-type contains "json"', http, true, '"application/json; charset=utf-8"'],
    ['header.Content-Type contains "json"', http, true, '"application/json; charset=utf-8"'],
    ['header.content-length > 100', http, true, '"512"'],
    ['header.content-length < 100', http, false, '"512"'],
    ['header.x-missing == "a"', http, false, 'no x-missing header'],
    ['header.content-type contains "json"', refused, false, 'no headers'],
    ['certificateExpiresIn > 14d', http, true, '20d'],
    ['certificateExpiresIn > 30d', http, false, '20d'],
    ['certificateExpiresIn > 14d', text, false, 'no certificate'],
    ['dns.rcode == NOERROR', dns, true, 'NOERROR'],
    ['dns.rcode == noerror', dns, true, 'NOERROR'],
    ['dns.rcode in [NXDOMAIN, SERVFAIL]', dns, false, 'NOERROR'],
    ['dns.rcode == NOERROR', http, false, 'no DNS answer'],
    ['dns.answers contains 10.0.0.1', dns, true, '[10.0.0.1, 2001:DB8::1, Mail.Example.com.]'],
    ['dns.answers contains 2001:db8::1', dns, true, '[10.0.0.1, 2001:DB8::1, Mail.Example.com.]'],
    ['dns.answers contains mail.example.com', dns, true, '[10.0.0.1, 2001:DB8::1, Mail.Example.com.]'],
    ['dns.answers contains 10.0.0.2', dns, false, '[10.0.0.1, 2001:DB8::1, Mail.Example.com.]'],
    ['dns.answers !contains 10.0.0.2', dns, true, '[10.0.0.1, 2001:DB8::1, Mail.Example.com.]'],
    ['connected == true', http, true, 'true'],
    ['connected == true', text, true, 'true'],
    ['connected == true', refused, false, 'false'],
    ['connected == false', refused, true, 'false'],
    ['connected == true', { ...badBody, failure: { class: 'body', message: 'x' } }, true, 'true'],
  ];
  for (const [condition, outcome, passed, actual] of cases) {
    it(`${condition} → ${passed} (${actual})`, () => {
      const compiled = compileCondition(condition);
      assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.error));
      assert.deepEqual(compiled.condition.evaluate(outcome), { passed, text: condition, actual });
    });
  }

  it('names the tested variable canonically and trims the text', () => {
    const compiled = compileCondition('  STATUS == 200 ');
    assert.ok(compiled.ok);
    assert.equal(compiled.condition.variable, 'status');
    assert.equal(compiled.condition.text, 'STATUS == 200');
    const header = compileCondition('header.Content-Type == x');
    assert.ok(header.ok);
    assert.equal(header.condition.variable, 'header.content-type');
  });

  it('is pure: a /g regex gives the same answer every time', () => {
    const compiled = compileCondition('body matches /ok/g');
    assert.ok(compiled.ok);
    const answers = [1, 2, 3].map(() => compiled.condition.evaluate(text).passed);
    assert.deepEqual(answers, [true, true, true]);
  });

  it('parses the body once per shared view', () => {
    let parses = 0;
    const outcome = { ...http };
    Object.defineProperty(outcome, 'body', {
      get: () => {
        parses++;
        return http.body;
      },
    });
    const view = createOutcomeView(outcome);
    for (const source of ['body.$.status == UP', 'body.$.count == 2', 'body.$.ok == true']) {
      const compiled = compileCondition(source);
      assert.ok(compiled.ok);
      assert.equal(compiled.condition.evaluate(outcome, view).passed, true);
    }
    assert.ok(parses <= 2, `body read ${parses} times`); // once for the undefined check, once to parse
  });
});

describe('compileCondition: type errors name the bad token', () => {
  const cases: [string, string, number, RegExp][] = [
    // condition, token, column, message
    ['stauts == 200', 'stauts', 1, /unknown variable "stauts" \(did you mean "status"\?\)/],
    ['respnseTime < 1s', 'respnseTime', 1, /did you mean "responseTime"/],
    ['latency < 1s', 'latency', 1, /unknown variable "latency"/],
    ['body.$items == 1', 'body.$items', 1, /bad JSON path/],
    ['body.$.items[x] == 1', 'body.$.items[x]', 1, /bad JSON path/],
    ['header. == "x"', 'header.', 1, /not a header name/],
    ['responseTime == "fast"', '"fast"', 17, /responseTime is a duration and cannot be compared with a string/],
    ['body == 5s', '5s', 9, /body is text and cannot be compared with a duration/],
    ['body contains 5s', '5s', 15, /cannot be compared with a duration/],
    ['status == "200"', '"200"', 11, /status is a number and cannot be compared with a string/],
    ['status == 5s', '5s', 11, /status is a number and cannot be compared with a duration/],
    ['status > OK', 'OK', 10, /status is a number/],
    ['status in 200', '200', 11, /"in" needs a list like \[200, 204\], not a number/],
    ['status not in "x"', '"x"', 15, /"not in" needs a list/],
    ['status in []', '[]', 11, /list is empty/],
    ['status in [200, "x"]', '"x"', 17, /status is a number and cannot be compared with a string/],
    ['status == [200]', '[200]', 11, /a list only goes with "in" or "not in", not "=="/],
    ['status contains 2', '2', 17, /"contains" does not apply to status/],
    ['body matches "("', '"("', 14, /invalid regular expression/],
    ['body matches /a[/', '/a[/', 14, /invalid regular expression/],
    ['body matches 42', '42', 14, /"matches" needs a regular expression/],
    ['connected matches "t"', '"t"', 19, /"matches" does not apply to connected/],
    ['connected == yes', 'yes', 14, /connected is a boolean and cannot be compared with a word/],
    ['connected > 1', '1', 13, /">" does not apply to connected/],
    ['dns.rcode == NOEROR', 'NOEROR', 14, /unknown DNS response code NOEROR/],
    ['dns.rcode in [NOERROR, NXDOMIAN]', 'NXDOMIAN', 24, /unknown DNS response code/],
    ['dns.rcode == 0', '0', 14, /dns.rcode is a DNS response code and cannot be compared with a number/],
    ['dns.answers == 10.0.0.1', '10.0.0.1', 16, /dns.answers is a list; test it with "contains"/],
    ['body.$.uptime > 5s', '5s', 17, /cannot be compared with a duration/],
    ['body.$.id == 5s', '5s', 14, /without a unit/],
    ['body.$.id == /x/', '/x/', 14, /cannot be compared with a regular expression/],
    ['certificateExpiresIn > "14d"', '"14d"', 24, /cannot be compared with a string/],
    ['body > "a"', '"a"', 8, /body is text and cannot be compared with a string/],
  ];
  for (const [condition, token, column, message] of cases) {
    it(condition, () => {
      const compiled = compileCondition(condition);
      assert.equal(compiled.ok, false, 'should not compile');
      if (compiled.ok) return;
      assert.match(compiled.error.message, message);
      assert.equal(compiled.error.token, token);
      assert.equal(compiled.error.column, column);
    });
  }

  it('compileConditions reports every bad condition with its index', () => {
    const result = compileConditions(['status == 200', 'stauts == 200', 'responseTime < "x"']);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map(({ index, error }) => [index, error.token]),
      [
        [1, 'stauts'],
        [2, '"x"'],
      ],
    );
    const good = compileConditions(['status == 200', 'body contains ok']);
    assert.ok(good.ok);
    assert.equal(good.conditions.length, 2);
  });
});

describe('docs/conditions.md', () => {
  it('every condition in the YAML examples compiles', () => {
    const doc = readFileSync(new URL('../../docs/conditions.md', import.meta.url), 'utf8');
    const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
    const conditions = yamlBlocks.flatMap((block) =>
      [...block.matchAll(/^\s+- ((?!name:).+)$/gm)].map((match) => match[1]).filter((line) => !/^\w+:/.test(line)),
    );
    assert.ok(conditions.length >= 20, `found only ${conditions.length} examples`);
    for (const condition of conditions) {
      const compiled = compileCondition(condition);
      assert.ok(compiled.ok, `${condition}: ${JSON.stringify(!compiled.ok && compiled.error)}`);
    }
  });
});

describe('probe kinds beyond http: ping loss and rtt, ssh exit status, handshake timing', () => {
  const ping: ProbeOutcome = { ok: true, latencyMs: 12, timings: { total: 2010 }, details: { icmp: { sent: 5, received: 4, loss: 20, rtt: { min: 9.5, avg: 12, max: 18.25 } } } };
  const lost: ProbeOutcome = { ok: false, latencyMs: 3000, failure: { class: 'timeout', message: 'no reply' }, details: { icmp: { sent: 3, received: 0, loss: 100 } } };
  const ssh: ProbeOutcome = { ok: true, latencyMs: 40, timings: { connect: 1, handshake: 30, total: 40 }, details: { ssh: { exitCode: 2 } } };
  const cases: [string, ProbeOutcome, boolean, string][] = [
    ['loss < 20%', ping, false, '20%'],
    ['loss <= 20%', ping, true, '20%'],
    ['loss < 50', ping, true, '20%'],
    ['loss == 100%', lost, true, '100%'],
    ['rtt.avg < 50ms', ping, true, '12ms'],
    ['rtt.max < 15ms', ping, false, '18ms'],
    ['rtt.min > 0', ping, true, '10ms'],
    ['rtt.avg < 50ms', lost, false, 'no ping reply'],
    ['loss < 20%', ssh, false, 'no ping statistics'],
    ['exitCode == 2', ssh, true, '2'],
    ['exitCode in [0, 1]', ssh, false, '2'],
    ['timings.handshake < 1s', ssh, true, '30ms'],
    ['timings.handshake < 1s', ping, false, 'no handshake timing'],
  ];
  for (const [source, outcome, passed, actual] of cases) {
    it(`${source} → ${passed} (${actual})`, () => {
      const compiled = compileCondition(source);
      assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.error));
      assert.deepEqual(compiled.condition.evaluate(outcome), { passed, text: source, actual });
    });
  }

  it('a percentage only fits a percentage', () => {
    for (const [source, token] of [['status < 20%', '20%'], ['responseTime < 5%', '5%'], ['loss < 5ms', '5ms'], ['loss < "x"', '"x"']]) {
      const compiled = compileCondition(source);
      assert.equal(compiled.ok, false, source);
      if (!compiled.ok) assert.equal(compiled.error.token, token);
    }
  });
});
describe('compileCondition: facts of the database, grpc and steps kinds', () => {
  const query: ProbeOutcome = { ok: true, latencyMs: 3, details: { result: '3', rows: 1, serverVersion: '17.2', grpc: { status: 'SERVING' }, completedSteps: 2 } };
  const cases: [string, boolean][] = [
    ['result < 5', true], // '3' as drivers send count(*) compares as a number
    ['result == 4', false],
    ['rows == 1', true],
    ['serverVersion matches "^17\\."', true],
    ['grpc.status == "SERVING"', true],
    ['steps.completed >= 3', false],
  ];
  for (const [source, expected] of cases) {
    it(`${source} → ${expected}`, () => {
      const compiled = compileCondition(source);
      assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.error));
      assert.equal(compiled.condition.evaluate(query).passed, expected);
    });
  }
});

