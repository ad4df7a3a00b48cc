/**
 * Test support: static checks for CloudFormation templates (deploy/aws/*.yaml), shared by the
 * Lambda stack's test and the ECS stack's test. Parses the short forms (`!Ref`, `!Sub`, …) into
 * their long JSON forms, and finds references that do not resolve and IAM statements that are not
 * least-privilege. No AWS call is made: this is what can be known without deploying.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse, type Tags } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);
const SHORT_FORMS = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Condition', 'Ref'];

/** `yaml` tags turning CloudFormation short forms into their long JSON forms. */
function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const short of SHORT_FORMS) {
    const long = short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
    const wrap = (value: unknown) => ({ [long]: short === 'GetAtt' && typeof value === 'string' ? value.split('.') : value });
    tags.push({ tag: `!${short}`, resolve: (value: string) => wrap(value) });
    tags.push({ tag: `!${short}`, collection: 'seq', resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()) } as never);
    tags.push({ tag: `!${short}`, collection: 'map', resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()) } as never);
  }
  return tags;
}

/** Reads a template with its short forms expanded. */
export function loadTemplate(path: string): Json {
  return parse(readFileSync(path, 'utf8'), { customTags: cloudFormationTags() });
}

/** The template's resources of one type, as [logical id, resource] pairs. */
export function resourcesOfType(template: Json, type: string): [string, Json][] {
  return Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
}

/** Visits every node of the template with its path. */
export function walk(node: Json, visit: (node: Json, path: string) => void, path = ''): void {
  visit(node, path);
  if (Array.isArray(node)) node.forEach((child, i) => walk(child, visit, `${path}[${i}]`));
  else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, visit, `${path}.${key}`);
}

/** Every Ref, GetAtt, Sub variable, If/Condition name, DependsOn and Output condition that does not resolve. */
export function unresolvedReferences(template: Json): string[] {
  const resources: Record<string, Json> = template.Resources;
  const params = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const mappings = template.Mappings ?? {};
  const problems: string[] = [];
  const refOk = (name: string) => resources[name] !== undefined || params.has(name) || PSEUDO.has(name);
  walk(template, (node, path) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    if (typeof node.Ref === 'string' && !refOk(node.Ref)) problems.push(`${path}: Ref ${node.Ref}`);
    if (node['Fn::GetAtt'] && !resources[node['Fn::GetAtt'][0]]) problems.push(`${path}: GetAtt ${node['Fn::GetAtt'][0]}`);
    if (node['Fn::FindInMap'] && typeof node['Fn::FindInMap'][0] === 'string' && !mappings[node['Fn::FindInMap'][0]]) problems.push(`${path}: FindInMap ${node['Fn::FindInMap'][0]}`);
    if (node['Fn::Sub'] !== undefined) {
      const [text, vars] = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] : [node['Fn::Sub'], {}];
      for (const [, name] of String(text).matchAll(/\$\{(?!!)([^}]+)\}/g)) {
        const target = name.includes('.') && !name.startsWith('AWS::') ? name.split('.')[0] : name;
        if (!(name in vars) && !refOk(target)) problems.push(`${path}: Sub \${${name}}`);
        if (name.includes('.') && !name.startsWith('AWS::') && !resources[target]) problems.push(`${path}: Sub attribute of ${target}`);
      }
    }
    if (node['Fn::If'] && !conditions.has(node['Fn::If'][0])) problems.push(`${path}: If ${node['Fn::If'][0]}`);
    // `Condition` names a template condition on a resource, on an output, and inside the
    // Conditions section; elsewhere it is a property of its own (IAM statements, ECS DependsOn)
    const namesCondition = /^\.(Resources|Outputs)\.[^.[]+$/.test(path) || path.startsWith('.Conditions.');
    if (typeof node.Condition === 'string' && namesCondition && !conditions.has(node.Condition)) problems.push(`${path}: Condition ${node.Condition}`);
  });
  for (const [name, resource] of Object.entries(resources)) {
    for (const dep of [resource.DependsOn ?? []].flat()) if (!resources[dep]) problems.push(`${name}: DependsOn ${dep}`);
  }
  return problems;
}

/**
 * IAM statements of the template's roles that are not least-privilege: managed policies, wildcard
 * actions, `Resource: "*"` (except for actions listed in `allowStarFor`, which AWS does not scope
 * to a resource), NotAction/NotResource, FullAccess.
 */
export function iamProblems(template: Json, allowStarFor: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const [name, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
    for (const arn of role.Properties.ManagedPolicyArns ?? []) problems.push(`${name}: managed policy ${JSON.stringify(arn)}`);
    walk(role.Properties.Policies, (node, path) => {
      if (!node || typeof node !== 'object' || !('Effect' in node)) return;
      const actions = [node.Action ?? []].flat();
      const resourcesOf = [node.Resource ?? []].flat();
      if (node.NotAction || node.NotResource) problems.push(`${name}${path}: NotAction/NotResource`);
      for (const action of actions) if (typeof action !== 'string' || action.includes('*')) problems.push(`${name}${path}: action ${action}`);
      const unscopable = actions.length > 0 && actions.every((action) => allowStarFor.includes(action));
      for (const r of resourcesOf) if (r === '*' && !unscopable) problems.push(`${name}${path}: Resource "*"`);
      if (/FullAccess/.test(JSON.stringify(node))) problems.push(`${name}${path}: FullAccess`);
    });
  }
  return problems;
}

// ── the CloudFormation resource specification ────────────────────────────────────────────────
/** Shape of the resource specification's property entries (the subset read here). */
interface PropertySpec {
  Required?: boolean;
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
}
interface CfnSpec {
  ResourceSpecificationVersion: string;
  ResourceTypes: Record<string, { Properties?: Record<string, PropertySpec>; Attributes?: Record<string, unknown> }>;
  PropertyTypes: Record<string, { Properties?: Record<string, PropertySpec>; PrimitiveType?: string }>;
}

let cachedSpec: CfnSpec | undefined;
/** AWS's CloudFormation resource specification, as pinned in the npm package @aws-cdk/cfnspec. */
export function cloudFormationSpec(): CfnSpec {
  cachedSpec ??= createRequire(import.meta.url)('@aws-cdk/cfnspec').specification() as CfnSpec;
  return cachedSpec;
}

const isIntrinsic = (value: Json) =>
  value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && /^(Ref|Condition|Fn::)/.test(Object.keys(value)[0]);

/**
 * Checks every resource against the resource specification: known types, known property names,
 * required properties present, list/map/object/primitive shapes, and GetAtt attributes that exist.
 * Values that are intrinsic functions are not looked into (they resolve at deploy time).
 */
export function specProblems(template: Json): string[] {
  const spec = cloudFormationSpec();
  const problems: string[] = [];
  const propertyType = (resourceType: string, name: string) => spec.PropertyTypes[`${resourceType}.${name}`] ?? spec.PropertyTypes[name];

  function checkObject(value: Json, properties: Record<string, PropertySpec>, resourceType: string, path: string): void {
    if (isIntrinsic(value)) return;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${path}: must be an object`);
    for (const key of Object.keys(value)) if (!(key in properties)) problems.push(`${path}.${key}: unknown property`);
    for (const [name, p] of Object.entries(properties)) if (p.Required && !(name in value)) problems.push(`${path}.${name}: required`);
    for (const [key, child] of Object.entries(value)) if (properties[key]) checkValue(child, properties[key], resourceType, `${path}.${key}`);
  }

  function checkPrimitive(value: Json, type: string, path: string): void {
    if (isIntrinsic(value)) return;
    const ok =
      type === 'Json' ? typeof value === 'object' || typeof value === 'string'
      : type === 'Boolean' ? typeof value === 'boolean' || value === 'true' || value === 'false'
      : type === 'Integer' || type === 'Long' || type === 'Double' ? typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
      : ['string', 'number', 'boolean'].includes(typeof value); // String, Timestamp: CloudFormation turns scalars into strings
    if (!ok) problems.push(`${path}: must be ${type}, is ${JSON.stringify(value)}`);
  }

  function checkValue(value: Json, p: PropertySpec, resourceType: string, path: string): void {
    if (isIntrinsic(value)) return;
    if (p.PrimitiveType) return checkPrimitive(value, p.PrimitiveType, path);
    if (p.Type === 'List' || p.Type === 'Map') {
      const items = p.Type === 'List' ? value : value && typeof value === 'object' && !Array.isArray(value) ? Object.values(value) : undefined;
      if (p.Type === 'List' && !Array.isArray(value)) return void problems.push(`${path}: must be a list`);
      if (!items) return void problems.push(`${path}: must be a map`);
      items.forEach((item: Json, i: number) => {
        const at = `${path}[${p.Type === 'List' ? i : Object.keys(value)[i]}]`;
        if (p.PrimitiveItemType) checkPrimitive(item, p.PrimitiveItemType, at);
        else if (p.ItemType) checkNamed(item, p.ItemType, resourceType, at);
      });
      return;
    }
    if (p.Type) checkNamed(value, p.Type, resourceType, path);
  }

  function checkNamed(value: Json, name: string, resourceType: string, path: string): void {
    const type = propertyType(resourceType, name);
    if (!type) return void problems.push(`${path}: the specification has no type ${name}`);
    if (type.PrimitiveType) return checkPrimitive(value, type.PrimitiveType, path);
    checkObject(value, type.Properties ?? {}, resourceType, path);
  }

  for (const [id, resource] of Object.entries(template.Resources as Record<string, Json>)) {
    const type = spec.ResourceTypes[resource.Type];
    if (!type) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    checkObject(resource.Properties ?? {}, type.Properties ?? {}, resource.Type, `${id}.Properties`);
  }
  walk(template, (node, path) => {
    const getAtt = node && typeof node === 'object' && !Array.isArray(node) ? node['Fn::GetAtt'] : undefined;
    const subs = node && typeof node === 'object' && node['Fn::Sub'] !== undefined ? [...String([node['Fn::Sub']].flat()[0]).matchAll(/\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}/g)].map((m) => [m[1], m[2]]) : [];
    for (const [resource, attribute] of [...(getAtt ? [[getAtt[0], getAtt.slice(1).join('.')]] : []), ...subs]) {
      const type = template.Resources[resource] && spec.ResourceTypes[template.Resources[resource].Type];
      if (type && !(attribute in (type.Attributes ?? {}))) problems.push(`${path}: ${resource} has no attribute ${attribute}`);
    }
  });
  return problems;
}
