/**
 * Test support: renders a kustomize directory the way `kubectl kustomize` does for the subset
 * Upstate's manifests use — `resources` (files, and folders holding a kustomization.yaml, nested)
 * and the `images` transformer. Any other kustomization field is an error, so a manifest change
 * that needs more (patches, generators) fails here instead of being silently ignored. No kustomize
 * binary can be had on this machine (not on npm, not in Debian), hence this.
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; [key: string]: unknown }; [key: string]: any };

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'images']);

function readYaml(file: string): any[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((value) => value != null);
}

/** Renders the kustomization in `dir` into the list of objects `kubectl apply -k dir` would send. */
export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  const [k] = readYaml(file);
  if (k.kind !== 'Kustomization') throw new Error(`${file}: kind must be Kustomization`);
  for (const key of Object.keys(k)) if (!SUPPORTED.has(key)) throw new Error(`${file}: "${key}" is not supported by this renderer (resources and images are)`);
  const objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : (readYaml(path) as K8sObject[])));
  }
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.apiVersion}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
  for (const rule of (k.images ?? []) as ImageRule[]) for (const object of objects) applyImage(object, rule);
  return objects;
}

/** The `images` transformer: rewrites container images whose name (without tag/digest) matches. */
function applyImage(object: K8sObject, rule: ImageRule): void {
  const pod = object.spec?.template?.spec ?? (object.kind === 'Pod' ? object.spec : undefined);
  if (!pod) return;
  for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    const [, name, tag = ''] = /^([^@:]+(?::\d+\/[^@:]+)?)([:@].*)?$/.exec(container.image) ?? [];
    if (name !== rule.name) continue;
    const suffix = rule.digest ? `@${rule.digest}` : rule.newTag ? `:${rule.newTag}` : tag;
    container.image = `${rule.newName ?? name}${suffix}`;
  }
}
