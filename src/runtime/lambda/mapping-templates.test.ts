/**
 * The non-proxy (mapping-template) integration of deploy/aws/template.yaml, end to end: the
 * request template rendered by a real VTL engine → the web handler on dynalite → the integration
 * response template. A refused request must reach the client as a 401, not a 200.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { createWebHandler, type WebHandler } from './web-handler.ts';
import { startLambdaHarness, type LambdaHarness } from '../../../test/support/lambda/lambda-harness.ts';
import { loadTemplate, type Json } from '../../../test/support/cloudformation.ts';
import { renderRequestTemplate, renderResponseTemplate, type GatewayRequest, type GatewayResponse } from '../../../test/support/lambda/api-gateway-vtl.ts';
import type { CheckResult } from '../../domain/result.ts';

const SECRET = 'mapping-secret-0123456789';
const template: Json = loadTemplate(join(resolve(import.meta.dirname, '../../..'), 'deploy/aws/template.yaml'));
/** The mapping-template branch of a method's `Fn::If` integration. */
const mappingOf = (method: string) => template.Resources[method].Properties.Integration['Fn::If'][1];

describe('mapping-template integration (request and response templates from the stack)', () => {
  let harness: LambdaHarness;
  let handler: WebHandler;

  /** One request through the gateway templates and the function, as API Gateway would run it. */
  const through = async (method: 'RootAnyMethod' | 'ProxyAnyMethod', request: GatewayRequest): Promise<GatewayResponse> => {
    const integration = mappingOf(method);
    const contentType = request.headers?.['Content-Type'] ?? 'application/json';
    const event = JSON.parse(renderRequestTemplate(integration.RequestTemplates[contentType], request));
    const result = await handler(event);
    return renderResponseTemplate(integration.IntegrationResponses[0].ResponseTemplates['application/json'], result);
  };

  before(async () => {
    harness = await startLambdaHarness();
    await harness.writeConfig('upstate.yaml', `page:\n  title: Mapped status\nauth:\n  header: X-Upstate-Auth\n  secrets: ["${SECRET}"]\nchecks:\n  - name: Billing API\n    http:\n      url: http://127.0.0.1:9/health\n`);
    const now = Date.now();
    const result: CheckResult = { check: 'Billing API', at: now - 1000, status: 'up', latencyMs: 42, statusCode: 200 };
    await harness.store().recordResults({ results: [result], states: [{ check: 'Billing API', status: 'up', since: now - 60_000, lastResult: result, streak: 0 }] });
    handler = createWebHandler({
      runtime: () => harness.runtime(),
    });
  });
  after(async () => {
    await handler?.close();
    await harness?.stop();
  });

  it('both methods carry the same templates, for JSON and form bodies, and never pass a body through untemplated', () => {
    const [root, proxy] = [mappingOf('RootAnyMethod'), mappingOf('ProxyAnyMethod')];
    assert.deepEqual(root, proxy);
    assert.equal(root.PassthroughBehavior, 'NEVER');
    assert.equal(root.RequestTemplates['application/json'], root.RequestTemplates['application/x-www-form-urlencoded']);
    assert.match(root.RequestTemplates['application/json'], /"envelope": true/);
    assert.match(root.IntegrationResponses[0].ResponseTemplates['application/json'], /responseOverride\.status/);
  });

  it('without the auth header the page is a 401 with the error page', async () => {
    const response = await through('RootAnyMethod', { method: 'GET', resourcePath: '/', stage: 'Prod', headers: { Host: 'x.execute-api.eu-west-1.amazonaws.com' } });
    assert.equal(response.status, 401);
    assert.match(response.headers['Content-Type'], /^text\/html/);
    assert.match(response.body, /Access denied/);
    assert.doesNotMatch(response.body, /Billing API/);
  });

  it('with the header the page is a 200 with its type, caching headers and content', async () => {
    const response = await through('RootAnyMethod', { method: 'GET', resourcePath: '/', stage: 'Prod', headers: { 'X-Upstate-Auth': SECRET } });
    assert.equal(response.status, 200);
    assert.match(response.headers['Content-Type'], /^text\/html; charset=utf-8$/i);
    assert.ok(response.headers.ETag, 'the ETag reaches the client');
    assert.match(response.headers['Cache-Control'], /max-age=/);
    assert.match(response.body, /Billing API/);
    assert.match(response.body, /Mapped status/);
  });

  it('the proxy resource routes the path and query to the JSON API; a refused call is a 401 JSON error', async () => {
    const request: GatewayRequest = { method: 'GET', resourcePath: '/{proxy+}', stage: 'Prod', pathParameters: { proxy: 'api/v1/status' }, query: { limit: '5' } };
    const refused = await through('ProxyAnyMethod', request);
    assert.equal(refused.status, 401);
    assert.equal(JSON.parse(refused.body).error.status, 401);
    const ok = await through('ProxyAnyMethod', { ...request, headers: { 'x-upstate-auth': SECRET } });
    assert.equal(ok.status, 200);
    assert.match(ok.headers['Content-Type'], /^application\/json/);
    assert.deepEqual(
      JSON.parse(ok.body).components.map((c: { name: string }) => c.name),
      ['Billing API'],
    );
  });

  it('an unknown route is a 404', async () => {
    const missing = await through('ProxyAnyMethod', { method: 'GET', resourcePath: '/{proxy+}', stage: 'Prod', pathParameters: { proxy: 'no/such/page' }, headers: { 'X-Upstate-Auth': SECRET } });
    assert.equal(missing.status, 404);
  });

  it('a form body with quotes and newlines reaches the function byte for byte (base64, not JSON-escaped)', () => {
    const body = 'note=it\'s+"quoted"%0A&x=\\';
    const text = renderRequestTemplate(mappingOf('ProxyAnyMethod').RequestTemplates['application/x-www-form-urlencoded'], {
      method: 'POST',
      resourcePath: '/{proxy+}',
      stage: 'Prod',
      pathParameters: { proxy: 'api/v1/push/abc' },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    const event = JSON.parse(text);
    assert.equal(Buffer.from(event.bodyBase64, 'base64').toString('utf8'), body);
    assert.deepEqual([event.method, event.resourcePath, event.path.proxy, event.envelope], ['POST', '/{proxy+}', 'api/v1/push/abc', true]);
  });
});
