/**
 * Writes an import plan as an Upstate YAML config with the `yaml` package's Document API, so
 * comments sit exactly where they belong: above the check, channel or window they concern, or
 * above the field that was only partly carried over. Output is deterministic (same plan, same
 * text), which keeps repeated imports identical.
 * @module
 */
import { Document, isMap, isScalar, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { ImportPlan, KeyedPlanItem, PlanItem } from './import-plan.ts';
import { finishEnvReferences, isSecretRef } from './secret-book.ts';

const commentText = (lines: readonly string[]) => lines.map((line) => ` ${line}`).join('\n');

/** Renders the plan as config text. */
export function emitYaml(plan: ImportPlan): string {
  const doc = new Document(new YAMLMap());
  const root = doc.contents as YAMLMap;
  if (plan.header.length) doc.commentBefore = commentText(plan.header);

  if (plan.page?.value) {
    const pair = doc.createPair('page', itemNode(doc, plan.page));
    if (plan.page.comments?.length) (pair.key as Scalar).commentBefore = commentText(plan.page.comments);
    root.add(pair);
  }
  addSection(doc, root, 'checks', listNode(doc, plan.checks));
  if (plan.alertChecks.some((item) => item.value)) {
    const alerts = new YAMLMap();
    alerts.add(doc.createPair('checks', mapNode(doc, plan.alertChecks)));
    root.add(doc.createPair('alerts', alerts));
  }
  addSection(doc, root, 'notifiers', mapNode(doc, plan.notifiers));
  addSection(doc, root, 'maintenance', listNode(doc, plan.maintenance));
  addSection(doc, root, 'incidents', listNode(doc, plan.incidents));

  const text = doc.toString({ lineWidth: 0, minContentWidth: 0 });
  return finishEnvReferences(text);
}

/** Adds `key: node` when the section has entries; a section of comments only becomes a comment. */
function addSection(doc: Document, root: YAMLMap, key: string, node: YAMLSeq | YAMLMap): void {
  if (node.items.length) {
    root.add(doc.createPair(key, node));
    return;
  }
  // nothing but dropped entries: keep their comments, under a line naming the section
  if (node.comment) root.comment = [root.comment, ` ${key}: nothing imported`, node.comment].filter(Boolean).join('\n');
}

function listNode(doc: Document, items: readonly PlanItem[]): YAMLSeq {
  const seq = new YAMLSeq();
  return fillCollection(seq, items, (item, comment) => {
    const node = itemNode(doc, item);
    if (comment) node.commentBefore = comment;
    seq.items.push(node);
  });
}

function mapNode(doc: Document, items: readonly KeyedPlanItem[]): YAMLMap {
  const map = new YAMLMap();
  return fillCollection(map, items, (item, comment) => {
    const pair = doc.createPair(item.key, itemNode(doc, item));
    if (comment) (pair.key as Scalar).commentBefore = comment;
    map.items.push(pair);
  });
}

/**
 * Adds each item with a value through `add`, passing the comments gathered since the previous
 * one (items without a value are comments only); comments after the last entry end the collection.
 */
function fillCollection<C extends YAMLSeq | YAMLMap, T extends PlanItem>(collection: C, items: readonly T[], add: (item: T, comment: string | undefined) => void): C {
  let pending: string[] = [];
  for (const item of items) {
    pending.push(...(item.comments ?? []));
    if (!item.value) continue;
    add(item, pending.length ? commentText(pending) : undefined);
    pending = [];
  }
  if (pending.length) collection.comment = commentText(pending);
  return collection;
}

function itemNode(doc: Document, item: PlanItem): YAMLMap {
  const node = doc.createNode(item.value) as YAMLMap;
  quoteSecrets(node);
  for (const [path, lines] of Object.entries(item.fieldComments ?? {})) {
    const key = findKey(node, path.split('.'));
    if (key) key.commentBefore = [key.commentBefore, commentText(lines)].filter(Boolean).join('\n');
    else node.comment = [node.comment, commentText(lines)].filter(Boolean).join('\n');
  }
  return node;
}

/** The key node of a dotted path inside a map, or undefined. */
function findKey(map: YAMLMap, path: string[]): Scalar | undefined {
  let current: YAMLMap = map;
  for (let i = 0; i < path.length; i++) {
    const pair = current.items.find((p) => isScalar(p.key) && p.key.value === path[i]);
    if (!pair) return undefined;
    if (i === path.length - 1) return pair.key as Scalar;
    if (!isMap(pair.value)) return pair.key as Scalar;
    current = pair.value;
  }
  return undefined;
}

/** Double-quotes every scalar holding an env reference, so `${NAME}` is always read as text. */
function quoteSecrets(node: Node | null | undefined): void {
  if (!node) return;
  if (isScalar(node)) {
    if (isSecretRef(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    return;
  }
  if (node instanceof YAMLMap || node instanceof YAMLSeq) {
    for (const item of node.items as unknown[]) {
      if (item && typeof item === 'object' && 'key' in item) quoteSecrets((item as unknown as { value: Node }).value);
      else quoteSecrets(item as Node);
    }
  }
}
