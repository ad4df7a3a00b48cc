/**
 * Static checks of deploy/aws/ecs.yaml (Upstate in cluster mode on ECS Fargate), with the same
 * helpers as the Lambda stack's test (test/support/cloudformation.ts): references resolve, every
 * resource matches the CloudFormation resource specification, IAM is least-privilege — then the
 * design: RDS PostgreSQL with its password in Secrets Manager, ALB health check on /readyz, step
 * scaling one task at a time with cooldowns. Nothing is deployed: no AWS account is reachable here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { iamProblems, loadTemplate, resourcesOfType, specProblems, unresolvedReferences, walk, type Json } from '../support/cloudformation.ts';
import { execForm, parseDockerfile } from '../support/dockerfile.ts';
import { serveArgsError } from '../support/serve-args.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const template = loadTemplate(join(ROOT, 'deploy/aws/ecs.yaml'));
const resources: Record<string, Json> = template.Resources;
const one = (type: string) => {
  const found = resourcesOfType(template, type);
  assert.equal(found.length, 1, type);
  return found[0][1];
};
const containers = () => resources.TaskDefinition.Properties.ContainerDefinitions as Json[];
const container = (name: string) => containers().find((c) => c.Name === name);
const sub = (value: Json) => (typeof value === 'object' && value['Fn::Sub'] !== undefined ? [value['Fn::Sub']].flat()[0] : value);

describe('deploy/aws/ecs.yaml', () => {
  it('every Ref, GetAtt, Sub variable, Condition and DependsOn resolves', () => {
    assert.deepEqual(unresolvedReferences(template), []);
  });

  it('every resource matches the CloudFormation resource specification (pinned in @aws-cdk/cfnspec)', () => {
    assert.deepEqual(specProblems(template), []);
  });

  it('the specification check catches a mistake (so passing means something)', () => {
    const broken = structuredClone(template);
    broken.Resources.TargetGroup.Properties.HealthCheckPth = '/readyz';
    broken.Resources.Service.Properties.DesiredCount = 'two';
    assert.deepEqual(specProblems(broken).sort(), ['Service.Properties.DesiredCount: must be Integer, is "two"', 'TargetGroup.Properties.HealthCheckPth: unknown property']);
  });

  it('IAM: no wildcard actions, no Resource "*" (but the unscopable ecr:GetAuthorizationToken), no managed policies', () => {
    assert.deepEqual(iamProblems(template, ['ecr:GetAuthorizationToken']), []);
  });

  it('cluster mode on RDS PostgreSQL: private, encrypted, password kept by RDS in Secrets Manager and never in the command', () => {
    const db = one('AWS::RDS::DBInstance').Properties;
    assert.equal(db.Engine, 'postgres');
    assert.equal(db.ManageMasterUserPassword, true);
    assert.equal(db.MasterUserPassword, undefined);
    assert.equal(db.PubliclyAccessible, false);
    assert.equal(db.StorageEncrypted, true);
    assert.equal(resources.Database.DeletionPolicy, 'Snapshot');
    const upstate = container('upstate');
    assert.equal(upstate.Command[upstate.Command.indexOf('--mode') + 1], 'cluster');
    assert.equal(serveArgsError(upstate.Command.slice(2).map(sub)), undefined, 'the CLI accepts the arguments');
    const store = sub(upstate.Command[upstate.Command.indexOf('--store') + 1]);
    assert.match(store, /^postgres:\/\/upstate@\$\{Database\.Endpoint\.Address\}:\$\{Database\.Endpoint\.Port\}\/upstate\?sslmode=/);
    const password = upstate.Secrets.find((s: Json) => s.Name === 'PGPASSWORD');
    assert.equal(sub(password.ValueFrom), '${Database.MasterUserSecret.SecretArn}:password::');
    // nothing secret-looking in plain environment variables anywhere
    for (const c of containers()) for (const env of c.Environment ?? []) assert.doesNotMatch(env.Name, /PASSWORD|TOKEN|SECRET/, `${c.Name}: ${env.Name}`);
  });

  it('the execution role can read exactly the secrets and parameter the containers ask for', () => {
    const statements = resources.ExecutionRole.Properties.Policies[0].PolicyDocument.Statement;
    const allowed = JSON.stringify(statements.filter((s: Json) => ['secretsmanager:GetSecretValue', 'ssm:GetParameters'].includes(s.Action)).map((s: Json) => s.Resource));
    for (const c of containers()) {
      for (const secret of c.Secrets ?? []) {
        const source = sub(secret.ValueFrom) as string;
        const anchor = /\$\{(\w+)[.}]/.exec(source)?.[1];
        if (source.includes(':ssm:')) assert.ok(allowed.includes('parameter${ConfigParameterName}'), secret.Name);
        else assert.ok(anchor && allowed.includes(anchor), `${c.Name}: ${secret.Name} from ${source}`);
      }
    }
  });

  it('tasks: Fargate, read-only root filesystem, no capabilities, the image user; config written before Upstate starts', () => {
    const task = resources.TaskDefinition.Properties;
    assert.deepEqual(task.RequiresCompatibilities, ['FARGATE']);
    assert.equal(task.NetworkMode, 'awsvpc');
    assert.equal(task.TaskRoleArn, undefined, 'Upstate calls no AWS API in cluster mode');
    for (const c of containers()) {
      assert.equal(c.ReadonlyRootFilesystem, true, c.Name);
      assert.deepEqual(c.LinuxParameters.Capabilities.Drop, ['ALL'], c.Name);
    }
    const upstate = container('upstate');
    assert.equal(upstate.User, '65532');
    assert.deepEqual(upstate.DependsOn, [{ ContainerName: 'config', Condition: 'SUCCESS' }]);
    assert.equal(container('config').Essential, false);
    // the writer's script is valid JavaScript and writes the file `serve --config` reads
    const [flag, script] = container('config').Command;
    assert.equal(flag, '-e');
    assert.doesNotThrow(() => new Script(script));
    const configPath = upstate.Command[upstate.Command.indexOf('--config') + 1];
    assert.ok(script.includes(`'${configPath}'`));
    const mounts = (name: string) => container(name).MountPoints.map((m: Json) => m.ContainerPath);
    assert.ok(mounts('config').some((p: string) => configPath.startsWith(`${p}/`)) && mounts('upstate').some((p: string) => configPath.startsWith(`${p}/`)));
    assert.ok(upstate.StopTimeout >= 30, 'time to finish running checks on SIGTERM');
  });

  it('the container health check is the image HEALTHCHECK (GET /healthz with node, no curl)', () => {
    const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8'));
    const healthcheck = dockerfile.at(-1)!.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
    const imageCommand = execForm(healthcheck.args.replace(/^(--\S+\s+)*CMD\s+/, ''));
    assert.deepEqual(container('upstate').HealthCheck.Command, ['CMD', ...imageCommand!]);
  });

  it('load balancer: target group health check on /readyz at the container port, with a drain delay', () => {
    const tg = one('AWS::ElasticLoadBalancingV2::TargetGroup').Properties;
    assert.equal(tg.HealthCheckPath, '/readyz');
    assert.equal(tg.TargetType, 'ip');
    assert.equal(tg.Port, container('upstate').PortMappings[0].ContainerPort);
    const delay = tg.TargetGroupAttributes.find((a: Json) => a.Key === 'deregistration_delay.timeout_seconds');
    assert.ok(Number(delay.Value) > 0);
    const [binding] = resources.Service.Properties.LoadBalancers;
    assert.deepEqual(binding.TargetGroupArn, { Ref: 'TargetGroup' });
    assert.equal(binding.ContainerName, 'upstate');
    assert.equal(resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, 'DISABLED');
    assert.ok(template.Parameters.DesiredCount.MinValue >= 2, 'cluster: two or more tasks');
  });

  it('step scaling: one task out and one task in per step, each with a cooldown, driven by CPU alarms', () => {
    const policies = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy');
    assert.equal(policies.length, 2);
    const adjustments: number[] = [];
    for (const [name, policy] of policies) {
      const config = policy.Properties.StepScalingPolicyConfiguration;
      assert.equal(policy.Properties.PolicyType, 'StepScaling');
      assert.equal(config.AdjustmentType, 'ChangeInCapacity');
      assert.ok(config.Cooldown >= 60, `${name}: cooldown`);
      for (const step of config.StepAdjustments) adjustments.push(step.ScalingAdjustment);
      const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties.AlarmActions) === JSON.stringify([{ Ref: name }]));
      assert.equal(alarms.length, 1, `${name}: one alarm drives it`);
    }
    assert.deepEqual(adjustments.sort(), [-1, 1]);
    const target = one('AWS::ApplicationAutoScaling::ScalableTarget').Properties;
    assert.deepEqual(target.MinCapacity, { Ref: 'DesiredCount' });
  });

  it('no secret values in the template', () => {
    walk(template, (node, path) => {
      if (typeof node === 'string') assert.doesNotMatch(node, /(password|secret|token)\s*[:=]\s*[A-Za-z0-9+/_-]{8,}/i, path);
    });
  });
});
