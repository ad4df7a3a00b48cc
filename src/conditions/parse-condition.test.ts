import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, type Value } from './parse-condition.ts';

/** A compact rendering of a parsed value for table comparisons. */
function show(value: Value): string {
  if (value.kind === 'list') return `[${value.items.map(show).join(',')}]`;
  if (value.kind === 'regex') return `regex:${value.value}/${value.flags}`;
  return `${value.kind}:${JSON.stringify(value.value)}`;
}

describe('parseCondition: accepted syntax', () => {
  const cases: [string, string, string, string][] = [
    // text, subject, operator, value
    ['status == 200', 'status', '==', 'number:200'],
    ['status==200', 'status', '==', 'number:200'],
    ['  status   !=   404  ', 'status', '!=', 'number:404'],
    ['status in [200, 204]', 'status', 'in', '[number:200,number:204]'],
    ['status not in [500,502 , 503]', 'status', '!in', '[number:500,number:502,number:503]'],
    ['status !in []', 'status', '!in', '[]'],
    ['status >= 200', 'status', '>=', 'number:200'],
    ['status <= 299', 'status', '<=', 'number:299'],
    ['responseTime < 300ms', 'responseTime', '<', 'duration:300'],
    ['responseTime > 1.5s', 'responseTime', '>', 'duration:1500'],
    ['certificateExpiresIn > 14d', 'certificateExpiresIn', '>', 'duration:1209600000'],
    ['body.$.status == "UP"', 'body.$.status', '==', 'string:"UP"'],
    ["body.$.status == 'UP'", 'body.$.status', '==', 'string:"UP"'],
    ['body.$.items[0].id == 3', 'body.$.items[0].id', '==', 'number:3'],
    ['body.$["a b"].c == -1.5', 'body.$["a b"].c', '==', 'number:-1.5'],
    ['body contains "ok"', 'body', 'contains', 'string:"ok"'],
    ['body !contains "error"', 'body', '!contains', 'string:"error"'],
    ['body not contains "error"', 'body', '!contains', 'string:"error"'],
    ['body matches "^\\d+$"', 'body', 'matches', 'string:"^\\\\d+$"'],
    ['body matches /^up$/i', 'body', 'matches', 'regex:^up$/i'],
    ['body matches /a\\/b/', 'body', 'matches', 'regex:a/b/'],
    ['body not matches "x"', 'body', '!matches', 'string:"x"'],
    ['body == "say \\"hi\\""', 'body', '==', 'string:"say \\"hi\\""'],
    ['header.content-type contains "json"', 'header.content-type', 'contains', 'string:"json"'],
    ['header.content-type == application/json', 'header.content-type', '==', 'word:"application/json"'],
    ['dns.rcode == NOERROR', 'dns.rcode', '==', 'word:"NOERROR"'],
    ['dns.answers contains 10.0.0.1', 'dns.answers', 'contains', 'ip:"10.0.0.1"'],
    ['dns.answers contains ::1', 'dns.answers', 'contains', 'ip:"::1"'],
    ['dns.answers contains 2001:db8::1', 'dns.answers', 'contains', 'ip:"2001:db8::1"'],
    ['dns.answers contains mail.example.com.', 'dns.answers', 'contains', 'word:"mail.example.com."'],
    ['connected == true', 'connected', '==', 'boolean:true'],
    ['body.$.error == null', 'body.$.error', '==', 'null:null'],
    ['status NOT IN [500]', 'status', '!in', '[number:500]'],
    ['body Contains ok', 'body', 'contains', 'word:"ok"'],
  ];
  for (const [text, subject, operator, value] of cases) {
    it(text, () => {
      const parsed = parseCondition(text);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.error));
      assert.equal(parsed.ast.subject.text, subject);
      assert.equal(parsed.ast.operator.op, operator);
      assert.equal(show(parsed.ast.value), value);
    });
  }

  it('records 1-based columns of each part', () => {
    const parsed = parseCondition('  status  in [200]');
    assert.ok(parsed.ok);
    assert.equal(parsed.ast.subject.column, 3);
    assert.equal(parsed.ast.operator.column, 11);
    assert.equal(parsed.ast.value.column, 14);
  });
});

describe('parseCondition: syntax errors name the token and its column', () => {
  const cases: [string, string, number, RegExp][] = [
    // text, token, column, message
    ['', '', 1, /empty condition/],
    ['   ', '', 1, /empty condition/],
    ['== 200', '==', 1, /expected a variable/],
    ['status', '', 7, /missing operator/],
    ['status = 200', '=', 8, /unknown operator "=" \(did you mean "=="\?\)/],
    ['status equals 200', 'equals', 8, /unknown operator "equals"/],
    ['status constructor 200', 'constructor', 8, /unknown operator "constructor"/],
    ['status ==', '', 10, /missing value/],
    ['status == 200 204', '204', 15, /unexpected "204" after the value/],
    ['status == 200 && body contains "x"', '&& body contains "x"', 15, /one comparison per condition/],
    ['body contains "ok', '"ok', 15, /unterminated string/],
    ['body matches /abc', '/abc', 14, /unterminated regular expression/],
    ['status in [200, 204', '[200, 204', 11, /unclosed "\["/],
    ['status in [200 204]', '204]', 16, /expected "," or "\]"/],
    ['status in [200,]', ']', 16, /expected a value/],
    ['status in [[200]]', '[', 12, /cannot be nested/],
    ['status == 200x', '200x', 11, /"200x" is not a number, duration/],
    ['body.$.items[0 == 1', '[0 == 1', 13, /unclosed "\["/],
    ['body not equals "x"', 'not equals', 6, /"not" must be followed by in, contains or matches/],
  ];
  for (const [text, token, column, message] of cases) {
    it(JSON.stringify(text), () => {
      const parsed = parseCondition(text);
      assert.equal(parsed.ok, false, 'should not parse');
      if (parsed.ok) return;
      assert.match(parsed.error.message, message);
      assert.equal(parsed.error.token, token);
      assert.equal(parsed.error.column, column);
    });
  }
});
