/**
 * The folder graph of `src/`: which top-level folder imports which, counted from the relative
 * imports (static, `export … from` and dynamic `import()`) of the shipped sources. Test files are
 * left out: they are not part of the product and may reach across folders to set things up.
 *
 *   node scripts/folder-graph.ts            # plain list: "from → to (n imports)"
 *   node scripts/folder-graph.ts --mermaid  # a Mermaid flowchart, e.g. for docs/architecture.md
 *
 * `test/folder-graph.test.ts` uses `folderGraph()` to fail on cycles between folders.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One folder → folder edge, with the importing files so a failing test can point at them. */
export interface FolderEdge {
  from: string;
  to: string;
  /** `importer → imported` pairs, relative to the src directory. */
  imports: string[];
}

/** Relative specifiers in `import … from`, `export … from`, `import '…'` and `import('…')`. */
const SPECIFIER = /\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Lists the non-test `.ts` files under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !/\.test\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Removes block comments and whole-line comments, so JSDoc examples are not taken for imports. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The top-level folder of `file` inside `srcDir` (`.` for files directly in it). */
function topFolder(srcDir: string, file: string): string {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? parts[0] : '.';
}

/** Computes the folder → folder edges of `srcDir` (default: this repository's `src/`). */
export function folderGraph(srcDir = resolve(import.meta.dirname, '..', 'src')): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const file of sourceFiles(srcDir)) {
    const from = topFolder(srcDir, file);
    for (const match of stripComments(readFileSync(file, 'utf8')).matchAll(SPECIFIER)) {
      const target = resolve(dirname(file), match[1]);
      if (!target.startsWith(srcDir + sep)) continue;
      const to = topFolder(srcDir, target);
      if (to === from) continue;
      const key = `${from}\u0000${to}`;
      const edge = edges.get(key) ?? { from, to, imports: [] };
      edge.imports.push(`${relative(srcDir, file)} → ${relative(srcDir, target)}`);
      edges.set(key, edge);
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/**
 * The strongly connected components with more than one folder: each is a set of folders that
 * reach each other through imports (Tarjan's algorithm). An acyclic graph has none.
 */
export function folderCycles(edges: readonly FolderEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of new Set(edges.flatMap((edge) => [edge.from, edge.to]))) if (!index.has(node)) visit(node);
  return components;
}

/** The two-way edges (`a ⇄ b`), the shortest cycles, for a readable report. */
export function twoWayEdges(edges: readonly FolderEdge[]): [string, string][] {
  const has = new Set(edges.map((edge) => `${edge.from}\u0000${edge.to}`));
  return edges.filter((edge) => edge.from < edge.to && has.has(`${edge.to}\u0000${edge.from}`)).map((edge) => [edge.from, edge.to]);
}

function render(edges: readonly FolderEdge[], mermaid: boolean): string {
  if (mermaid) return ['flowchart LR', ...edges.map((edge) => `  ${edge.from} --> ${edge.to}`)].join('\n');
  const lines = edges.map((edge) => `${edge.from} → ${edge.to} (${edge.imports.length})`);
  const cycles = folderCycles(edges);
  lines.push('', cycles.length ? `cycles: ${cycles.map((c) => c.join(' ⇄ ')).join('; ')}` : 'cycles: none');
  const twoWay = twoWayEdges(edges);
  if (twoWay.length) lines.push(`two-way edges: ${twoWay.map(([a, b]) => `${a} ⇄ ${b}`).join(', ')}`);
  return lines.join('\n');
}

if (import.meta.main) console.log(render(folderGraph(), process.argv.includes('--mermaid')));
