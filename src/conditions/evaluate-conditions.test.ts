import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProbeOutcome } from '../domain/result.ts';
import { compileCondition, type CompiledCondition } from './compile-condition.ts';
import { evaluateConditions } from './evaluate-conditions.ts';

function compile(...sources: string[]): CompiledCondition[] {
  return sources.map((source) => {
    const compiled = compileCondition(source);
    assert.ok(compiled.ok, source);
    return compiled.condition;
  });
}

const answer: ProbeOutcome = {
  ok: true,
  latencyMs: 40,
  statusCode: 503,
  body: '{"status":"DOWN"}',
  headers: { 'content-type': 'application/json' },
  details: { tls: 'kept' },
};

describe('evaluateConditions', () => {
  it('returns the same outcome when every condition passes (or there are none)', () => {
    const ok = { ...answer, statusCode: 200, body: '{"status":"UP"}' };
    assert.equal(evaluateConditions(compile('status == 200', 'body.$.status == UP', 'responseTime < 1s'), ok), ok);
    assert.equal(evaluateConditions([], answer), answer);
  });

  it('fails with class status when the first failing condition is on status', () => {
    const result = evaluateConditions(compile('responseTime < 1s', 'status in [200, 204]', 'body.$.status == UP'), answer);
    assert.equal(result.ok, false);
    assert.deepEqual(result.failure, { class: 'status', message: 'condition failed: status in [200, 204] (actual: 503)' });
    assert.deepEqual(result.details, { tls: 'kept', failedConditions: ['status in [200, 204]', 'body.$.status == UP'] });
    assert.equal(answer.ok, true, 'the input outcome is not mutated');
    assert.equal(answer.details?.failedConditions, undefined);
  });

  it('fails with class body for any other condition', () => {
    const result = evaluateConditions(compile('body.$.status == "UP"', 'status == 503'), answer);
    assert.deepEqual(result.failure, { class: 'body', message: 'condition failed: body.$.status == "UP" (actual: "DOWN")' });
    assert.deepEqual(result.details?.failedConditions, ['body.$.status == "UP"']);
    const header = evaluateConditions(compile('header.content-type contains html'), answer);
    assert.deepEqual(header.failure, { class: 'body', message: 'condition failed: header.content-type contains html (actual: "application/json")' });
  });

  it('keeps the probe failure as the root cause but still lists failed conditions', () => {
    const refused: ProbeOutcome = { ok: false, latencyMs: 2, failure: { class: 'refused', message: 'connection refused' } };
    const result = evaluateConditions(compile('status == 200', 'connected == true'), refused);
    assert.deepEqual(result.failure, refused.failure);
    assert.deepEqual(result.details, { failedConditions: ['status == 200', 'connected == true'] });
  });

  it('names a missing value in the message', () => {
    const result = evaluateConditions(compile('body.$.status == UP'), { ...answer, body: 'plain text' });
    assert.equal(result.failure?.message, 'condition failed: body.$.status == UP (actual: body is not JSON)');
  });
});

describe('evaluateConditions on a real HTTP answer', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Build', 'v42');
      res.end(JSON.stringify({ status: 'UP', checks: [{ name: 'db', ok: true }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tests status, headers (any case) and JSON fields of what the server sent', async () => {
    const started = performance.now();
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const outcome: ProbeOutcome = {
      ok: true,
      latencyMs: performance.now() - started,
      statusCode: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
    const conditions = compile(
      'status == 200',
      'header.Content-Type contains "json"',
      'header.x-build matches /^v\\d+$/',
      'body.$.status == UP',
      'body.$.checks[0].ok == true',
      'responseTime < 5s',
      'connected == true',
    );
    assert.equal(evaluateConditions(conditions, outcome), outcome);
    const failing = evaluateConditions(compile('body.$.checks[0].name == cache'), outcome);
    assert.equal(failing.failure?.message, 'condition failed: body.$.checks[0].name == cache (actual: "db")');
  });
});
