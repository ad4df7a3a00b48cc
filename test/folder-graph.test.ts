/**
 * The folder graph of src/ stays acyclic, and only the wiring folders import config/: features
 * receive their own config slice (issue 11). `node scripts/folder-graph.ts` prints the graph.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { folderCycles, folderGraph, type FolderEdge } from '../scripts/folder-graph.ts';

/**
 * Cycles tolerated for now, each as its sorted folder list with a reason. The goal is none:
 * an entry that no longer matches a cycle fails the test, so the list only shrinks.
 */
const ALLOWED_CYCLES: { folders: string[]; reason: string }[] = [];

/**
 * Folders that may import config/: it composes feature slices, and the wiring reads the whole —
 * modes/ (what runs) and runtime/ (the process around it: the Node server, the Lambda handlers).
 */
const CONFIG_READERS = new Set(['config', 'cli', 'modes', 'runtime']);

/** Feature folders that still take the whole `UpstateConfig`; an entry that stops doing so fails the test. */
const CONFIG_READERS_PENDING_ISSUE_11 = new Set<string>();

const graph = folderGraph();

describe('folder graph of src/', () => {
  it('has no cycles between top-level folders beyond the allowed ones', () => {
    const allowed = new Set(ALLOWED_CYCLES.map((entry) => entry.folders.join(',')));
    const cycles = folderCycles(graph).map((cycle) => cycle.join(','));
    const unexpected = cycles.filter((cycle) => !allowed.has(cycle));
    assert.deepEqual(unexpected, [], `cycles:\n${describeCycles(graph, unexpected)}`);
    const stale = [...allowed].filter((entry) => !cycles.includes(entry));
    assert.deepEqual(stale, [], 'allowed cycles that no longer exist: remove them from ALLOWED_CYCLES');
  });

  it('lets only config/, cli/, modes/ and runtime/ import config/', () => {
    const readers = graph.filter((edge) => edge.to === 'config' && !CONFIG_READERS.has(edge.from));
    const unexpected = readers.filter((edge) => !CONFIG_READERS_PENDING_ISSUE_11.has(edge.from));
    assert.deepEqual(unexpected.flatMap((edge) => edge.imports), [], 'features take their own config slice, not config/');
    const done = [...CONFIG_READERS_PENDING_ISSUE_11].filter((folder) => !readers.some((edge) => edge.from === folder));
    assert.deepEqual(done, [], 'these folders no longer import config/: remove them from CONFIG_READERS_PENDING_ISSUE_11');
  });

  it('sees imports of every kind and finds a planted cycle', () => {
    const root = mkdtempSync(join(tmpdir(), 'upstate-folder-graph-'));
    try {
      const files: Record<string, string> = {
        'a/one.ts': `import type { B } from '../b/two.ts';\nexport type A = B;`,
        'b/two.ts': `export { c } from '../c/three.ts';\nexport type B = number;`,
        'c/three.ts': `export const c = () => import('../a/one.ts');`,
        'd/four.ts': `/** e.g. import { x } from '../a/one.ts' */\n// import '../a/one.ts';\nimport '../b/two.ts';`,
        'a/one.test.ts': `import '../d/four.ts';`,
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const edges = folderGraph(root);
      assert.deepEqual(
        edges.map((edge) => `${edge.from}→${edge.to}`),
        ['a→b', 'b→c', 'c→a', 'd→b'],
      );
      assert.deepEqual(folderCycles(edges), [['a', 'b', 'c']]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

function describeCycles(edges: readonly FolderEdge[], cycles: string[]): string {
  return cycles
    .map((cycle) => {
      const members = new Set(cycle.split(','));
      const inner = edges.filter((edge) => members.has(edge.from) && members.has(edge.to));
      return inner.map((edge) => `  ${edge.from} → ${edge.to}: ${edge.imports.slice(0, 3).join('; ')}`).join('\n');
    })
    .join('\n');
}
