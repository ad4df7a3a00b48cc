/**
 * deploy/kubernetes: every overlay is rendered (test/support/kustomize.ts — no kustomize binary
 * exists here) and every object is validated against the Kubernetes API schemas pinned in the npm
 * package kubernetes-models (5.1.0); then the shape the docs promise is checked. Static only: no
 * cluster runs here. Note the schemas, like the API server's non-strict mode, accept unknown
 * fields; the checks below read every field they rely on by name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { renderKustomization, type K8sObject } from '../support/kustomize.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { serveArgsError } from '../support/serve-args.ts';

const DIR = resolve(import.meta.dirname, '../../deploy/kubernetes');
const OVERLAYS = ['embedded', 'cluster', 'cluster-autoscaled'];
const render = (path: string) => renderKustomization(join(DIR, path));

/** The kubernetes-models class for an object's apiVersion and kind (core `v1` has no group folder). */
async function modelOf(object: K8sObject): Promise<{ validate(): void }> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const path = `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
  const module = (await import(path)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[object.kind];
  assert.ok(Model, `no schema for ${object.apiVersion} ${object.kind}`);
  return new Model(object);
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const workloadOf = (objects: K8sObject[]) => {
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  assert.equal(workloads.length, 1);
  return workloads[0];
};

describe('deploy/kubernetes', () => {
  for (const overlay of ['base', ...OVERLAYS.map((o) => `overlays/${o}`)]) {
    it(`${overlay}: every rendered object is valid against the pinned Kubernetes schemas`, async () => {
      const objects = render(overlay);
      assert.ok(objects.length >= 3);
      for (const object of objects) {
        const model = await modelOf(object);
        assert.doesNotThrow(() => model.validate(), `${object.kind}/${object.metadata.name}`);
      }
    });
  }

  it('the schema validation catches a mistake (so passing means something)', async () => {
    const deployment = workloadOf(render('overlays/cluster'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '3000';
    deployment.spec.replicas = 'two';
    await assert.rejects(async () => (await modelOf(deployment)).validate(), /containerPort must be integer|replicas must be integer/);
  });

  for (const overlay of OVERLAYS) {
    it(`${overlay}: hardened pod, probes, resources, config and secrets wired`, () => {
      const objects = render(`overlays/${overlay}`);
      const workload = workloadOf(objects);
      const pod = workload.spec.template.spec;
      const [container] = pod.containers;
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.runAsUser, 65532, 'the image user');
      assert.equal(pod.automountServiceAccountToken, false);
      assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      assert.equal(container.image, 'ghcr.io/your-org/upstate:0.1.0', 'images transformer applied');
      assert.deepEqual(container.args.slice(0, 2), ['/app/dist/cli/bin.js', 'serve']);
      assert.equal(serveArgsError(container.args.slice(2)), undefined, 'the CLI accepts the arguments');
      assert.equal(container.livenessProbe.httpGet.path, '/healthz');
      assert.equal(container.readinessProbe.httpGet.path, '/readyz');
      assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory);
      const heapMb = Number(/--max-old-space-size=(\d+)/.exec(container.env.find((e: any) => e.name === 'NODE_OPTIONS').value)![1]);
      assert.ok(heapMb < Number.parseInt(container.resources.limits.memory, 10), 'heap cap below the memory limit');

      // the Service reaches the pods on a named port they have
      const [service] = byKind(objects, 'Service');
      assert.deepEqual(service.spec.selector, workload.spec.template.metadata.labels);
      assert.ok(container.ports.some((p: any) => p.name === service.spec.ports[0].targetPort));
      assert.deepEqual(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels);

      // every mount has a volume, every referenced ConfigMap/Secret is rendered
      const claims = (workload.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name);
      for (const mount of container.volumeMounts) assert.ok(pod.volumes.some((v: any) => v.name === mount.name) || claims.includes(mount.name), mount.name);
      const names = (kind: string) => byKind(objects, kind).map((o) => o.metadata.name);
      for (const volume of pod.volumes.filter((v: any) => v.configMap)) assert.ok(names('ConfigMap').includes(volume.configMap.name));
      const secrets = container.envFrom.map((e: any) => e.secretRef.name);
      for (const name of secrets) assert.ok(names('Secret').includes(name), name);

      // the ConfigMap's upstate.yaml is valid with exactly the variables the Secrets provide
      const env: Record<string, string> = {};
      for (const secret of byKind(objects, 'Secret').filter((s) => secrets.includes(s.metadata.name))) Object.assign(env, secret.stringData);
      const [configMap] = byKind(objects, 'ConfigMap');
      const config = parseConfig(configMap.data['upstate.yaml'], 'configmap/upstate.yaml', { env });
      assert.ok(config.checks.length > 0);
      assert.ok(container.volumeMounts.some((m: any) => m.name === 'config' && m.mountPath === '/etc/upstate' && m.readOnly));
    });
  }

  it('embedded: a StatefulSet of exactly one replica with its PVC at /data', () => {
    const objects = render('overlays/embedded');
    const workload = workloadOf(objects);
    assert.equal(workload.kind, 'StatefulSet');
    assert.equal(workload.spec.replicas, 1);
    const [claim] = workload.spec.volumeClaimTemplates;
    assert.ok(workload.spec.template.spec.containers[0].volumeMounts.some((m: any) => m.name === claim.metadata.name && m.mountPath === '/data'));
    assert.deepEqual(workload.spec.template.spec.containers[0].args.slice(-4), ['--data', '/data', '--port', '3000']);
  });

  it('cluster: a Deployment of 2+ replicas on PostgreSQL, preStop drain, PodDisruptionBudget', () => {
    const objects = render('overlays/cluster');
    const workload = workloadOf(objects);
    assert.equal(workload.kind, 'Deployment');
    assert.ok(workload.spec.replicas >= 2);
    const pod = workload.spec.template.spec;
    const [container] = pod.containers;
    assert.equal(container.args[container.args.indexOf('--mode') + 1], 'cluster');
    const store = container.args[container.args.indexOf('--store') + 1];
    assert.match(store, /^postgres:\/\//);
    assert.doesNotMatch(store, /PGPASSWORD|:[^/@]+@/, 'no password in the arguments');
    // every $(VAR) Kubernetes expands is defined by the container's environment
    const secretKeys = new Set(byKind(objects, 'Secret').flatMap((s) => Object.keys(s.stringData)));
    for (const [, name] of store.matchAll(/\$\((\w+)\)/g)) assert.ok(secretKeys.has(name), name);
    assert.ok(secretKeys.has('PGPASSWORD'));
    assert.equal(container.lifecycle.preStop.sleep.seconds, 5);
    assert.ok(pod.terminationGracePeriodSeconds >= 5 + 10 + 10, 'drain + a check timeout + flush');
    assert.equal(workload.spec.strategy.rollingUpdate.maxUnavailable, 0);
    const [pdb] = byKind(objects, 'PodDisruptionBudget');
    assert.deepEqual(pdb.spec.selector.matchLabels, workload.spec.template.metadata.labels);
    assert.ok(pdb.spec.minAvailable >= 1 && pdb.spec.minAvailable < workload.spec.replicas);
    assert.equal(byKind(objects, 'HorizontalPodAutoscaler').length, 0, 'the HPA is optional');
  });

  it('cluster-autoscaled: the cluster overlay plus an HPA on that Deployment, never below 2', () => {
    const objects = render('overlays/cluster-autoscaled');
    const [hpa] = byKind(objects, 'HorizontalPodAutoscaler');
    const workload = workloadOf(objects);
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.metadata.name });
    assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
    assert.equal(hpa.spec.behavior.scaleUp.policies[0].value, 1, 'one pod at a time');
  });

  it('the renderer refuses kustomization features it does not implement', () => {
    assert.throws(() => renderKustomization(join(import.meta.dirname, '../fixtures/kustomize-with-patches')), /"patches" is not supported/);
  });
});
