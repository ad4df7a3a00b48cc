/**
 * Who holds the live heap: reads a V8 heap snapshot (e.g. one written by heap-per-check.ts
 * `--snapshot=FILE`), computes each object's retained size (dominator tree, weak edges ignored)
 * and prints (1) the dominator tree pruned to objects retaining at least `--min-mb`, each named by
 * the edge it is reached through (a closure variable, a property, a Map entry) and its
 * constructor, and (2) the shallow size per constructor. A diagnostic for issue #17's live-set
 * work, not a registered benchmark.
 *
 *   node bench/checker/heap-owners.ts FILE [--min-mb=1] [--depth=8] [--top=40] [--per=N]
 *
 * `--per=N` adds a bytes-per-N column (e.g. the number of checks). `--strings=REGEX` (e.g.
 * `^check-\d+$`) adds (3) how many string objects match and how many distinct values they hold
 * (copies of check names), and who refers to the copies: the closure variable or object
 * holding each referrer, with the Map or Set it is a key of. `--objects=REGEX` (e.g.
 * `^Object \{check,status`) does the same for objects whose constructor and first keys match.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'min-mb': { type: 'string', default: '1' },
    depth: { type: 'string', default: '8' },
    top: { type: 'string', default: '40' },
    per: { type: 'string' },
    strings: { type: 'string' },
    objects: { type: 'string' },
  },
});
if (!positionals[0]) throw new Error('heap-owners: give a .heapsnapshot file');
const raw = JSON.parse(readFileSync(positionals[0], 'utf8')) as Snapshot;
const meta = raw.snapshot.meta;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const nType = meta.node_fields.indexOf('type');
const nName = meta.node_fields.indexOf('name');
const nSelf = meta.node_fields.indexOf('self_size');
const nEdges = meta.node_fields.indexOf('edge_count');
const eType = meta.edge_fields.indexOf('type');
const eName = meta.edge_fields.indexOf('name_or_index');
const eTo = meta.edge_fields.indexOf('to_node');
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const WEAK = edgeTypes.indexOf('weak');
const SHORTCUT = edgeTypes.indexOf('shortcut');
const { nodes, edges, strings } = raw;
const count = nodes.length / NF;

// first edge of each node (CSR over the snapshot's edge list)
const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdges] * EF;
}
firstEdge[count] = edges.length;
const strongEdge = (e: number) => edges[e + eType] !== WEAK && edges[e + eType] !== SHORTCUT;

// reverse postorder from the root (node 0), iteratively
const order = new Int32Array(count).fill(-1); // postorder index
const post: number[] = [];
{
  const stack: number[] = [0];
  const cursor = new Uint32Array(count);
  const seen = new Uint8Array(count);
  seen[0] = 1;
  for (let i = 0; i < count; i++) cursor[i] = firstEdge[i];
  while (stack.length) {
    const v = stack[stack.length - 1];
    let pushed = false;
    while (cursor[v] < firstEdge[v + 1]) {
      const e = cursor[v];
      cursor[v] += EF;
      if (!strongEdge(e)) continue;
      const w = edges[e + eTo] / NF;
      if (seen[w]) continue;
      seen[w] = 1;
      stack.push(w);
      pushed = true;
      break;
    }
    if (!pushed) {
      order[v] = post.length;
      post.push(stack.pop()!);
    }
  }
}

// predecessors (strong edges among reachable nodes)
const predCount = new Uint32Array(count + 1);
for (let v = 0; v < count; v++) {
  if (order[v] < 0) continue;
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (strongEdge(e)) predCount[edges[e + eTo] / NF + 1]++;
}
for (let i = 0; i < count; i++) predCount[i + 1] += predCount[i];
const preds = new Uint32Array(predCount[count]);
{
  const fill = predCount.slice();
  for (let v = 0; v < count; v++) {
    if (order[v] < 0) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (strongEdge(e)) preds[fill[edges[e + eTo] / NF]++] = v;
  }
}

// Cooper–Harvey–Kennedy iterative dominators, on postorder numbers
const idom = new Int32Array(count).fill(-1);
idom[0] = 0;
for (let changed = true; changed; ) {
  changed = false;
  for (let k = post.length - 2; k >= 0; k--) {
    const v = post[k];
    let dom = -1;
    for (let p = predCount[v]; p < predCount[v + 1]; p++) {
      let u = preds[p];
      if (idom[u] < 0) continue;
      if (dom < 0) {
        dom = u;
        continue;
      }
      let a = u;
      let b = dom;
      while (a !== b) {
        while (order[a] < order[b]) a = idom[a];
        while (order[b] < order[a]) b = idom[b];
      }
      dom = a;
      u = a;
    }
    if (dom >= 0 && idom[v] !== dom) {
      idom[v] = dom;
      changed = true;
    }
  }
}

// retained sizes: children before parents (postorder)
const retained = new Float64Array(count);
for (const v of post) retained[v] += nodes[v * NF + nSelf];
for (const v of post) if (v !== 0) retained[idom[v]] += retained[v];

const children = new Map<number, number[]>();
for (const v of post) {
  if (v === 0) continue;
  const list = children.get(idom[v]);
  if (list) list.push(v);
  else children.set(idom[v], [v]);
}

const nameOf = (v: number) => {
  const type = nodeTypes[nodes[v * NF + nType]];
  const name = strings[nodes[v * NF + nName]];
  if (name === 'system / Context') {
    // a closure's scope: named by the functions that close over it
    const fns = new Set<string>();
    for (let p = predCount[v]; p < predCount[v + 1] && fns.size < 3; p++) {
      const u = preds[p];
      if (nodeTypes[nodes[u * NF + nType]] === 'closure' && strings[nodes[u * NF + nName]]) fns.add(strings[nodes[u * NF + nName]]);
    }
    return `scope of ${[...fns].join(', ') || '?'}`;
  }
  return type === 'object' || type === 'native' ? name : `(${type}) ${name.slice(0, 40)}`;
};
/** The edge from `from` to `to`, as a label (a closure variable, a property, an element). */
const edgeLabel = (from: number, to: number) => {
  for (let e = firstEdge[from]; e < firstEdge[from + 1]; e += EF) {
    if (edges[e + eTo] / NF !== to) continue;
    const type = edgeTypes[edges[e + eType]];
    const n = edges[e + eName];
    return type === 'element' || type === 'hidden' ? `[${n}]` : `${type === 'context' ? 'var ' : ''}${strings[n]}`;
  }
  return '(dominated)';
};

const minBytes = Number(values['min-mb']) * 1024 * 1024;
const maxDepth = Number(values.depth);
const per = values.per ? Number(values.per) : undefined;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1).padStart(7);
const perCol = (b: number) => (per ? `${Math.round(b / per).toString().padStart(6)} B/${per}` : '');
console.log(`total reachable ${mb(retained[0])} MB ${perCol(retained[0])}`);
const walk = (v: number, depth: number) => {
  const kids = (children.get(v) ?? []).filter((c) => retained[c] >= minBytes).sort((a, b) => retained[b] - retained[a]);
  for (const c of kids) {
    console.log(`${mb(retained[c])} MB ${perCol(retained[c])} ${'  '.repeat(depth)}${edgeLabel(v, c)} → ${nameOf(c)}`);
    if (depth + 1 < maxDepth) walk(c, depth + 1);
  }
};
walk(0, 0);

const byCtor = new Map<string, { n: number; bytes: number }>();
for (const v of post) {
  const key = nameOf(v).slice(0, 60);
  const entry = byCtor.get(key) ?? { n: 0, bytes: 0 };
  entry.n++;
  entry.bytes += nodes[v * NF + nSelf];
  byCtor.set(key, entry);
}
console.log('\nshallow size by constructor:');
for (const [key, { n, bytes }] of [...byCtor].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(values.top))) {
  console.log(`${mb(bytes)} MB ${perCol(bytes)} ${String(n).padStart(8)} × ${key}`);
}

// objects no single owner holds (several Maps or closures share them, e.g. the config's checks):
// the dominator tree puts them straight under the root, so sum them by constructor instead
const shared = new Map<string, { n: number; bytes: number }>();
/** An object literal's keys (its first six properties) tell what it is better than `Object`. */
const shapeOf = (v: number) => {
  const keys: string[] = [];
  for (let e = firstEdge[v]; e < firstEdge[v + 1] && keys.length < 6; e += EF) {
    if (edgeTypes[edges[e + eType]] === 'property') keys.push(strings[edges[e + eName]]);
  }
  return `{${keys.join(',')}}`;
};
for (const c of children.get(0) ?? []) {
  const key = (nameOf(c) === 'Object' ? `Object ${shapeOf(c)}` : nameOf(c)).slice(0, 90);
  const entry = shared.get(key) ?? { n: 0, bytes: 0 };
  entry.n++;
  entry.bytes += retained[c];
  shared.set(key, entry);
}
console.log('\nshared objects (immediately under the root), retained size by constructor:');
for (const [key, { n, bytes }] of [...shared].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(values.top))) {
  console.log(`${mb(bytes)} MB ${perCol(bytes)} ${String(n).padStart(8)} × ${key}`);
}

/** The first closure variable or named property above `v` on its dominator chain, with what it holds. */
const ownerOf = (v: number) => {
  for (let u = v, depth = 0; u !== 0 && depth < 12; u = idom[u], depth++) {
    const label = edgeLabel(idom[u], u);
    if (label.startsWith('var ') || (label !== '(dominated)' && !label.startsWith('[') && label !== 'table')) {
      return `${label} → ${nameOf(u)} in ${nameOf(idom[u])}`.slice(0, 110);
    }
  }
  return '(root)';
};

/** Counts the nodes `label` matches and their distinct labels, and prints them by the set of owners sharing each. */
function referrersOf(what: string, match: (v: number) => string | undefined): void {
  const distinct = new Set<string>();
  let copies = 0;
  const referrers = new Map<string, number>();
  for (const v of post) {
    const text = match(v);
    if (text === undefined) continue;
    copies++;
    distinct.add(text);
    const owners = new Set<string>();
    for (let p = predCount[v]; p < predCount[v + 1]; p++) owners.add(ownerOf(preds[p]));
    // one line per set of owners sharing a copy: which owners hold their own copy of a name
    const key = [...owners].sort().join('\n           + ');
    referrers.set(key, (referrers.get(key) ?? 0) + 1);
  }
  console.log(`\n${what}: ${copies} objects, ${distinct.size} distinct values; copies, by the owners sharing each:`);
  for (const [owner, n] of [...referrers].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${String(n).padStart(8)} × ${owner}`);
  }
}

if (values.strings) {
  const pattern = new RegExp(values.strings);
  const isString = (v: number) => nodeTypes[nodes[v * NF + nType]].endsWith('string');
  referrersOf(`strings matching ${pattern}`, (v) => {
    if (!isString(v)) return undefined;
    const text = strings[nodes[v * NF + nName]];
    return pattern.test(text) ? text : undefined;
  });
}

if (values.objects) {
  const pattern = new RegExp(values.objects);
  referrersOf(`objects matching ${pattern}`, (v) => {
    if (nodeTypes[nodes[v * NF + nType]] !== 'object') return undefined;
    const label = nameOf(v) === 'Object' ? `Object ${shapeOf(v)}` : nameOf(v);
    return pattern.test(label) ? label : undefined;
  });
}
