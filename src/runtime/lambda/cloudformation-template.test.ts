/**
 * Static checks of deploy/aws/template.yaml: every reference resolves, the handlers exist in the
 * packaged bundles, IAM stays least-privilege, and the table is exactly `tableDefinition()`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tableDefinition } from '../../storage/dynamodb/index.ts';
import { loadConfig } from '../../config/load-config.ts';
import { MAX_SHARDS, shardOf } from './checker-shard.ts';
import { isProbeRegion } from './lambda-runtime.ts';
import { iamProblems, loadTemplate, resourcesOfType, specProblems, unresolvedReferences, type Json } from '../../../test/support/cloudformation.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TEMPLATE = join(ROOT, 'deploy/aws/template.yaml');
const template: Json = loadTemplate(TEMPLATE);
const resources: Record<string, Json> = template.Resources;
const ofType = (type: string) => resourcesOfType(template, type);

/** Methods the gateway passes to the page function on `/` (root) or on `/{proxy+}`. */
function exposedMethods(on: 'root' | 'proxy'): Set<string> {
  const resource = on === 'root' ? { 'Fn::GetAtt': ['StatusApi', 'RootResourceId'] } : { Ref: 'ProxyResource' };
  return new Set(
    ofType('AWS::ApiGateway::Method')
      .map(([, m]) => m.Properties)
      .filter((m) => JSON.stringify(m.ResourceId) === JSON.stringify(resource))
      .map((m) => m.HttpMethod as string),
  );
}

/** `METHOD path` pairs from the route table of docs/api.md (`GET|POST /x`, "and friends" rows, several per cell). */
function documentedRoutes(markdown: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cell = line.split('|')[1];
    for (const [, methods, path] of cell.matchAll(/`([A-Z\\|]+) ([^`\s]+)`/g)) {
      for (const method of methods.split(/\\?\|/).filter(Boolean)) routes.push({ method, path: path.split('?')[0] });
    }
  }
  return routes;
}

/** A short hash of every API Gateway resource and method, in a stable key order. */
function apiHash(): string {
  const stable = (value: Json): Json =>
    Array.isArray(value) ? value.map(stable) : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable(value[k])])) : value;
  const api = Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::ApiGateway::Method' || r.Type === 'AWS::ApiGateway::Resource')
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(stable(api))).digest('hex').slice(0, 8).toUpperCase();
}

describe('deploy/aws/template.yaml', () => {
  it('every Ref, GetAtt, Sub variable, Condition and DependsOn resolves', () => {
    assert.deepEqual(unresolvedReferences(template), []);
  });

  it('every resource matches the CloudFormation resource specification (pinned in @aws-cdk/cfnspec)', () => {
    assert.deepEqual(specProblems(template).sort(), [
      // a local zip path until `aws cloudformation package` uploads it and writes {S3Bucket, S3Key}
      'CheckerFunction.Properties.Code: must be an object',
      'WebFunction.Properties.Code: must be an object',
      // newer than the pinned specification (Lambda advanced logging controls, November 2023)
      'CheckerFunction.Properties.LoggingConfig: unknown property',
      'WebFunction.Properties.LoggingConfig: unknown property',
    ].sort());
  });

  it('the table is exactly tableDefinition(), with TTL and point-in-time recovery', () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table');
    const expected = tableDefinition('ignored');
    assert.deepEqual(table.Properties.KeySchema, expected.createTable.KeySchema);
    assert.deepEqual(table.Properties.AttributeDefinitions, expected.createTable.AttributeDefinitions);
    assert.equal(table.Properties.BillingMode, expected.createTable.BillingMode);
    assert.equal(table.Properties.GlobalSecondaryIndexes, expected.createTable.GlobalSecondaryIndexes);
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: expected.ttlAttribute, Enabled: true });
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
  });

  it('IAM: no wildcard actions, no Resource "*", no managed FullAccess policies', () => {
    assert.deepEqual(iamProblems(template), []);
  });

  it('IAM: each role gets only its own DynamoDB actions on this table, SNS only on the alert topic', () => {
    const statements = (role: string) =>
      resources[role].Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement).map((s: Json) => (s['Fn::If'] ? s['Fn::If'][1] : s));
    const table = (role: string) => statements(role).find((s: Json) => s.Sid === 'Table');
    // the table has no indexes, so no grant reaches `…/index/*`
    assert.deepEqual(table('CheckerRole').Resource, [{ 'Fn::GetAtt': ['StatusTable', 'Arn'] }]);
    assert.deepEqual(table('WebRole').Resource, [{ 'Fn::GetAtt': ['StatusTable', 'Arn'] }]);
    assert.equal(resources.StatusTable.Properties.GlobalSecondaryIndexes, undefined);
    assert.ok(table('CheckerRole').Action.includes('dynamodb:BatchWriteItem'));
    assert.ok(!table('WebRole').Action.includes('dynamodb:BatchWriteItem'), 'the page function never batch-writes');
    const publish = statements('CheckerRole').find((s: Json) => [s.Action].flat().includes('sns:Publish'));
    assert.deepEqual(publish.Resource, { Ref: 'AlertTopic' });
    assert.ok(!statements('WebRole').some((s: Json) => [s.Action].flat().includes('sns:Publish')));
    const conditional = resources.CheckerRole.Properties.Policies[0].PolicyDocument.Statement.filter((s: Json) => s['Fn::If']);
    assert.deepEqual(
      conditional.map((s: Json) => s['Fn::If'][0]),
      ['IsPrimary', 'IsProbeRegion', 'HasConfigParameter', 'HasKmsKey', 'CreateAlertTopic'],
    );
    // the page's auth secrets (current and previous) are the web role's alone
    const ssmResources = (role: string) => statements(role).filter((s: Json) => [s.Action].flat().some((a: string) => a.startsWith('ssm:')));
    assert.deepEqual(
      ssmResources('WebRole').map((s: Json) => s.Sid),
      ['AuthSecret', 'PreviousAuthSecret', 'ConfigParameter'],
    );
    assert.deepEqual(
      ssmResources('CheckerRole').map((s: Json) => s.Sid),
      ['AgentToken', 'ConfigParameter'],
    );
  });

  it('functions: nodejs24.x on arm64, checker timeout under the 1-minute schedule, code from the packaged zips', () => {
    const functions = ofType('AWS::Lambda::Function');
    assert.equal(functions.length, 2);
    for (const [name, fn] of functions) {
      assert.equal(fn.Properties.Runtime, 'nodejs24.x', name);
      assert.deepEqual(fn.Properties.Architectures, ['arm64'], name);
      assert.match(fn.Properties.Code, /^\.\.\/\.\.\/build\/aws\/\w+\.zip$/, name);
    }
    assert.deepEqual(resources.WebFunction.Properties.Environment.Variables.UPSTATE_TABLE_NAME, { Ref: 'StatusTable' });
    // a probe region has no table
    assert.deepEqual(resources.CheckerFunction.Properties.Environment.Variables.UPSTATE_TABLE_NAME, { 'Fn::If': ['IsPrimary', { Ref: 'StatusTable' }, { Ref: 'AWS::NoValue' }] });
    assert.ok(resources.CheckerFunction.Properties.Timeout <= 55);
    assert.ok(resources.WebFunction.Properties.Timeout <= 29, 'API Gateway gives up after 29 s');
    assert.equal(template.Parameters.ScheduleExpression.Default, 'rate(1 minute)');
    assert.deepEqual(resources.CheckerSchedule.Properties.Targets[0].Arn, { 'Fn::GetAtt': ['CheckerFunction', 'Arn'] });
    assert.equal(resources.CheckerSchedulePermission.Properties.Principal, 'events.amazonaws.com');
  });

  it('REST API: ANY on / and /{proxy+}, AWS_PROXY (or mapping templates) to the page function, Prod stage', () => {
    const methods = ofType('AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    for (const resource of [{ 'Fn::GetAtt': ['StatusApi', 'RootResourceId'] }, { Ref: 'ProxyResource' }]) {
      const method = methods.find((m) => JSON.stringify(m.ResourceId) === JSON.stringify(resource));
      assert.ok(method, JSON.stringify(resource));
      assert.equal(method.HttpMethod, 'ANY');
      // ApiIntegration picks the non-proxy integration (mapping templates) or AWS_PROXY
      const [condition, mapping, proxy] = method.Integration['Fn::If'];
      assert.equal(condition, 'UseMappingTemplates');
      assert.equal(proxy.Type, 'AWS_PROXY');
      assert.equal(mapping.Type, 'AWS');
      for (const integration of [mapping, proxy]) assert.match(integration.Uri['Fn::Sub'], /\$\{WebFunction\.Arn\}\/invocations$/);
      assert.equal(template.Parameters.ApiIntegration.Default, 'proxy');
    }
    assert.equal(resources.ProxyResource.Properties.PathPart, '{proxy+}');
    assert.equal(resources.ProdStage.Properties.StageName, 'Prod');
    assert.equal(resources.WebInvokePermission.Properties.Principal, 'apigateway.amazonaws.com');
    assert.match(template.Outputs.PushUrlBase.Value['Fn::Sub'], /\/\$\{ProdStage\}\/api\/v1\/push\/$/);
    // the page URL is the custom domain, else the distribution, else the stage
    const [, custom, [, cloudFront, stage]] = [template.Outputs.PageUrl.Value['Fn::If'][0], template.Outputs.PageUrl.Value['Fn::If'][1], template.Outputs.PageUrl.Value['Fn::If'][2]['Fn::If']];
    assert.deepEqual(custom, { 'Fn::Sub': 'https://${CustomDomainName}/' });
    assert.deepEqual(cloudFront, { 'Fn::Sub': 'https://${Distribution.DomainName}/' });
    assert.match(stage['Fn::Sub'], /^https:\/\/\$\{StatusApi\}\.execute-api.*\/\$\{ProdStage\}\/$/);
  });

  it('REST API: every route and method in docs/api.md reaches the page function', () => {
    const routes = documentedRoutes(readFileSync(join(ROOT, 'docs/api.md'), 'utf8'));
    assert.ok(routes.length >= 20, `docs/api.md lists ${routes.length} routes`);
    assert.ok(routes.some((r) => r.method === 'PATCH') && routes.some((r) => r.method === 'DELETE'));
    const unreachable = routes.filter((route) => {
      const exposed = exposedMethods(route.path === '/' ? 'root' : 'proxy');
      return !exposed.has(route.method) && !exposed.has('ANY');
    });
    assert.deepEqual(unreachable, []);
  });

  it('REST API: the deployment logical id carries the hash of the API, so an API change makes a new deployment', () => {
    const deployments = ofType('AWS::ApiGateway::Deployment');
    assert.equal(deployments.length, 1);
    const expected = `ApiDeployment${apiHash()}`;
    assert.equal(deployments[0][0], expected, `rename the deployment (and ProdStage's DeploymentId) to ${expected}`);
    assert.deepEqual(resources.ProdStage.Properties.DeploymentId, { Ref: expected });
  });

  it('each function gets the variables its handler reads; the auth secrets only reach the page, as SSM names', () => {
    const vars = (name: string) => resources[name].Properties.Environment.Variables;
    assert.deepEqual(Object.keys(vars('CheckerFunction')).sort(), [
      'UPSTATE_ALERT_TOPIC_ARN',
      'UPSTATE_CONFIG_PARAMETER',
      'UPSTATE_LOG_LEVEL',
      'UPSTATE_PRIMARY_URL',
      'UPSTATE_PROBE_REGION',
      'UPSTATE_REFRESH_SECONDS',
      'UPSTATE_SECRET_PARAMETERS',
      'UPSTATE_TABLE_NAME',
    ]);
    // the checker loads only the agent token, and only in a probe region
    assert.deepEqual(vars('CheckerFunction').UPSTATE_SECRET_PARAMETERS, {
      'Fn::If': ['IsProbeRegion', { 'Fn::Sub': 'UPSTATE_AGENT_TOKEN=${AgentTokenParameterName}' }, { Ref: 'AWS::NoValue' }],
    });
    assert.deepEqual(Object.keys(vars('WebFunction')).sort(), [
      'UPSTATE_AUTH_HEADER',
      'UPSTATE_CONFIG_PARAMETER',
      'UPSTATE_LOG_LEVEL',
      'UPSTATE_REFRESH_SECONDS',
      'UPSTATE_SECRET_PARAMETERS',
      'UPSTATE_SHARED_CACHE',
      'UPSTATE_TABLE_NAME',
    ]);
    assert.deepEqual(vars('WebFunction').UPSTATE_SECRET_PARAMETERS, {
      'Fn::If': [
        'HasPreviousSecret',
        { 'Fn::Sub': 'UPSTATE_AUTH_SECRET=${AuthSecretParameterName},UPSTATE_AUTH_SECRET_PREVIOUS?=${PreviousAuthSecretParameterName}' },
        { 'Fn::If': ['HasAuthSecret', { 'Fn::Sub': 'UPSTATE_AUTH_SECRET=${AuthSecretParameterName}' }, ''] },
      ],
    });
    assert.deepEqual(vars('WebFunction').UPSTATE_REFRESH_SECONDS, { Ref: 'RefreshSeconds' });
    assert.equal(template.Parameters.RefreshSeconds.Default, 60);
    for (const name of ['AuthSecretParameterName', 'PreviousAuthSecretParameterName']) {
      assert.equal(template.Parameters[name].NoEcho, undefined, 'a parameter *name*, not a secret');
    }
  });

  it('the bundled deploy/aws/upstate.yaml is valid without any secret (the stack supplies auth to the page)', async () => {
    const config = await loadConfig(join(ROOT, 'deploy/aws/upstate.yaml'), { env: {} });
    assert.equal(config.auth, undefined);
    assert.ok(config.checks.length > 0);
  });

  it('probe regions: PrimaryUrl alone decides the role; a probe region is the checker and its schedule only', () => {
    assert.equal(template.Parameters.PrimaryUrl.Default, '', 'primary by default');
    assert.deepEqual(template.Conditions.IsPrimary, { 'Fn::Equals': [{ Ref: 'PrimaryUrl' }, ''] });
    assert.deepEqual(template.Conditions.IsProbeRegion, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PrimaryUrl' }, ''] }] });
    /** True when `condition` can hold only in the primary role. */
    const primaryOnly = (condition: string | undefined): boolean => {
      if (!condition) return false;
      if (condition === 'IsPrimary') return true;
      const and = template.Conditions[condition]?.['Fn::And'] as Json[] | undefined;
      return !!and?.some((part) => primaryOnly(part.Condition));
    };
    const both = ['CheckerLogGroup', 'CheckerRole', 'CheckerFunction', 'CheckerSchedule', 'CheckerSchedulePermission'];
    for (const [name, resource] of Object.entries(resources)) {
      if (both.includes(name)) assert.equal(resource.Condition, undefined, `${name} exists in both roles`);
      else assert.ok(primaryOnly(resource.Condition), `${name} must exist only in the primary (Condition ${resource.Condition})`);
    }
    for (const [name, output] of Object.entries(template.Outputs as Record<string, Json>)) {
      if (name !== 'CheckerFunctionName') assert.ok(primaryOnly(output.Condition), `output ${name} names a primary-only resource`);
    }
    const vars = resources.CheckerFunction.Properties.Environment.Variables;
    assert.deepEqual([vars.UPSTATE_PRIMARY_URL, vars.UPSTATE_PROBE_REGION], [{ Ref: 'PrimaryUrl' }, { Ref: 'ProbeRegionName' }]);
    // the checker entry switches on exactly that variable: empty (primary) is not a probe region
    assert.equal(isProbeRegion({ UPSTATE_PRIMARY_URL: '' }), false);
    assert.equal(isProbeRegion({ UPSTATE_PRIMARY_URL: 'https://status.example.com' }), true);
    // the token: one SSM parameter, readable only in a probe region
    const token = resources.CheckerRole.Properties.Policies[0].PolicyDocument.Statement.find((s: Json) => s['Fn::If']?.[1]?.Sid === 'AgentToken')['Fn::If'];
    assert.equal(token[0], 'IsProbeRegion');
    assert.deepEqual(token[1].Action, 'ssm:GetParameters');
    assert.deepEqual(token[1].Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${AgentTokenParameterName}' });
    const rule = template.Rules.ProbeRegionNeedsItsName;
    assert.deepEqual(rule.RuleCondition, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PrimaryUrl' }, ''] }] });
    assert.deepEqual(
      rule.Assertions.map((a: Json) => a.Assert['Fn::Not'][0]['Fn::Equals'][0].Ref),
      ['ProbeRegionName', 'AgentTokenParameterName', 'EnableCloudFront'],
    );
    assert.match('eu-west', new RegExp(template.Parameters.ProbeRegionName.AllowedPattern));
    assert.doesNotMatch('EU West', new RegExp(template.Parameters.ProbeRegionName.AllowedPattern));
  });

  it('probe regions: the agent API reaches the page function through the gateway and, uncached with POST, through CloudFront', () => {
    assert.ok(exposedMethods('proxy').has('ANY'));
    const behaviour = resources.Distribution.Properties.DistributionConfig.CacheBehaviors.find((b: Json) => b.PathPattern === '/api/v1/agent/*');
    assert.ok(behaviour, 'a behaviour for /api/v1/agent/*');
    assert.ok(behaviour.AllowedMethods.includes('POST'));
    assert.equal(behaviour.CachePolicyId, '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', 'CachingDisabled');
    assert.equal(behaviour.OriginRequestPolicyId, 'b689b0a8-53d0-40ab-baf2-68738e2966ac', 'forwards Authorization (the bearer token)');
  });

  it('fan-out: one schedule target per shard, each input a shard the checker accepts', () => {
    const targets = resources.CheckerSchedule.Properties.Targets.map((t: Json) => (t['Fn::If'] ? t['Fn::If'][1] : t));
    assert.equal(targets.length, MAX_SHARDS, 'an EventBridge rule holds at most 5 targets');
    const conditions = resources.CheckerSchedule.Properties.Targets.slice(1).map((t: Json) => t['Fn::If'][0]);
    assert.deepEqual(conditions, ['HasShard1', 'HasShard2', 'HasShard3', 'HasShard4']);
    assert.deepEqual(template.Parameters.CheckerShards.AllowedValues, [1, 2, 3, 4, 5]);
    for (const count of [1, 2, 3, 4, 5]) {
      // the targets CloudFormation keeps for this count, with ${CheckerShards} substituted
      const kept = targets.filter((_: Json, index: number) => index < count);
      const events = kept.map((t: Json) => JSON.parse(t.Input['Fn::Sub'].replace('${CheckerShards}', String(count))));
      const shards = events.map((event: Json) => shardOf(event));
      if (count === 1) assert.deepEqual(shards, [undefined]);
      else assert.deepEqual(shards.map((shard: Json) => shard.key), Array.from({ length: count }, (_, i) => `${i}of${count}`));
      for (const t of kept) assert.deepEqual(t.Arn, { 'Fn::GetAtt': ['CheckerFunction', 'Arn'] });
    }
    // which targets each count keeps: target i exists when CheckerShards > i
    const has = (i: number, count: number) => {
      const condition = template.Conditions[`HasShard${i}`];
      const equalsCount = (node: Json): boolean => Number(node['Fn::Equals'][1]) === count;
      if (condition['Fn::Not']) return !equalsCount(condition['Fn::Not'][0]);
      if (condition['Fn::Or']) return condition['Fn::Or'].some(equalsCount);
      return equalsCount(condition);
    };
    for (const count of [1, 2, 3, 4, 5]) for (let i = 1; i < 5; i++) assert.equal(has(i, count), i < count, `HasShard${i} with ${count}`);
  });

  describe('optional CloudFront distribution (EnableCloudFront)', () => {
    const distribution = () => resources.Distribution.Properties.DistributionConfig;
    const UNCACHED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad'; // managed CachingDisabled
    const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac'; // managed AllViewerExceptHostHeader
    /** CloudFront path patterns: `*` matches any run of characters, `?` one. */
    const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(path);
    const behaviourFor = (path: string) => distribution().CacheBehaviors.find((b: Json) => matches(b.PathPattern, path)) ?? distribution().DefaultCacheBehavior;

    it('exists only when enabled, and then needs the auth secret and the origin secret (Rules)', () => {
      for (const name of ['Distribution', 'PageCachePolicy']) assert.equal(resources[name].Condition, 'UseCloudFront', name);
      assert.deepEqual(template.Conditions.UseCloudFront, { 'Fn::And': [{ Condition: 'IsPrimary' }, { 'Fn::Equals': [{ Ref: 'EnableCloudFront' }, 'true'] }] });
      assert.equal(template.Parameters.EnableCloudFront.Default, 'false');
      const rule = template.Rules.CloudFrontNeedsTheSecret;
      assert.deepEqual(rule.RuleCondition, { 'Fn::Equals': [{ Ref: 'EnableCloudFront' }, 'true'] });
      assert.deepEqual(
        rule.Assertions.map((a: Json) => a.Assert['Fn::Not'][0]['Fn::Equals'][0].Ref),
        ['AuthSecretParameterName', 'OriginAuthSecret'],
      );
      assert.equal(template.Parameters.OriginAuthSecret.NoEcho, true, 'the origin secret is a secret');
    });

    it('the origin is the API stage over HTTPS, and every origin request carries the auth header', () => {
      const [origin] = distribution().Origins;
      assert.deepEqual(origin.DomainName, { 'Fn::Sub': '${StatusApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' });
      assert.equal(origin.OriginPath, `/${resources.ProdStage.Properties.StageName}`);
      assert.equal(origin.CustomOriginConfig.OriginProtocolPolicy, 'https-only');
      assert.deepEqual(origin.OriginCustomHeaders, [{ HeaderName: { Ref: 'AuthHeaderName' }, HeaderValue: { Ref: 'OriginAuthSecret' } }]);
      // with the distribution on, the page function is told the edge may cache
      assert.deepEqual(resources.WebFunction.Properties.Environment.Variables.UPSTATE_SHARED_CACHE, { 'Fn::If': ['UseCloudFront', 'true', 'false'] });
    });

    it('the page cache policy takes its TTLs from the origin Cache-Control and keys on the query only', () => {
      const config = resources.PageCachePolicy.Properties.CachePolicyConfig;
      // MinTTL 0: `private`/`no-store` answers are not cached; DefaultTTL 0: no header, no caching
      assert.deepEqual([config.MinTTL, config.DefaultTTL], [0, 0]);
      assert.ok(config.MaxTTL >= 60);
      const key = config.ParametersInCacheKeyAndForwardedToOrigin;
      assert.equal(key.QueryStringsConfig.QueryStringBehavior, 'all');
      assert.equal(key.HeadersConfig.HeaderBehavior, 'none', 'viewer headers (a forged auth header too) never split or reach the cache');
      assert.equal(key.CookiesConfig.CookieBehavior, 'none');
      assert.ok(key.EnableAcceptEncodingGzip && key.EnableAcceptEncodingBrotli);
      assert.deepEqual(distribution().DefaultCacheBehavior.CachePolicyId, { Ref: 'PageCachePolicy' });
      assert.deepEqual(distribution().DefaultCacheBehavior.AllowedMethods, ['GET', 'HEAD', 'OPTIONS']);
    });

    it('every documented route that writes or needs a session reaches the origin uncached, with its method', () => {
      const routes = documentedRoutes(readFileSync(join(ROOT, 'docs/api.md'), 'utf8'));
      const sessionPaths = routes.filter((r) => r.method !== 'GET' || /^\/(admin|api\/v1\/(incidents|alerts))/.test(r.path));
      assert.ok(sessionPaths.length >= 8);
      for (const route of sessionPaths) {
        const path = route.path.replace(/:(\w+)/g, 'x');
        const behaviour = behaviourFor(path);
        assert.ok(behaviour.AllowedMethods.includes(route.method), `${route.method} ${route.path} is allowed`);
        assert.equal(behaviour.CachePolicyId, UNCACHED, `${route.method} ${route.path} is not cached`);
        assert.equal(behaviour.OriginRequestPolicyId, ALL_VIEWER_EXCEPT_HOST, `${route.path}: cookies and Authorization reach the origin`);
      }
      // the page and the public APIs go through the page cache policy
      for (const path of ['/', '/api/v1/status', '/api/v2/summary.json', '/feed.rss', '/badge/x/status.svg']) {
        assert.deepEqual(behaviourFor(path).CachePolicyId, { Ref: 'PageCachePolicy' }, path);
      }
    });

    it('an optional custom domain with an ACM certificate from us-east-1', () => {
      assert.deepEqual(distribution().Aliases, { 'Fn::If': ['HasCustomDomain', [{ Ref: 'CustomDomainName' }], { Ref: 'AWS::NoValue' }] });
      const [, acm, fallback] = distribution().ViewerCertificate['Fn::If'];
      assert.deepEqual(acm, { AcmCertificateArn: { Ref: 'CertificateArn' }, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
      assert.deepEqual(fallback, { CloudFrontDefaultCertificate: true });
      const arn = new RegExp(template.Parameters.CertificateArn.AllowedPattern);
      assert.ok(arn.test('arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab'));
      assert.ok(!arn.test('arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab'), 'CloudFront takes us-east-1 certificates only');
      assert.ok(arn.test(''));
      assert.ok(template.Rules.CustomDomainNeedsCertificate);
      assert.deepEqual(template.Outputs.DistributionDomainName.Value, { 'Fn::GetAtt': ['Distribution', 'DomainName'] });
    });
  });

  describe('handlers exist in the packaged bundles', () => {
    let out: string;
    let built: { name: string; zipPath: string; handler: string }[];
    before(async () => {
      out = await mkdtemp(join(tmpdir(), 'upstate-template-'));
      // A plain .mjs script (no types): loaded dynamically.
      const script = pathToFileURL(join(ROOT, 'scripts/package-aws.mjs')).href;
      const { packageAws } = await import(script);
      built = await packageAws({ out });
    });
    after(() => rm(out, { recursive: true, force: true }));

    it('each function names a zip the packager builds, holding its handler module', () => {
      for (const [name, fn] of ofType('AWS::Lambda::Function')) {
        const zipName = basename(fn.Properties.Code, '.zip');
        const match = built.find((b) => b.name === zipName);
        assert.ok(match, `${name}: no ${zipName}.zip is built`);
        assert.equal(match.handler, fn.Properties.Handler, name);
        const [file] = fn.Properties.Handler.split('.');
        assert.ok(existsSync(join(dirname(match.zipPath), zipName, `${file}.mjs`)), `${name}: ${file}.mjs missing`);
      }
    });
  });
});
