/**
 * `node bench/profile-top.ts <file.cpuprofile> [N]` — the top-N functions by self
 * time in a V8 CPU profile (as written by `npm run bench -- --profile`), plus totals per
 * file/package, so "where does the time go" is one command and needs no DevTools.
 * @module
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Lines of an esbuild bundle → the source file each came from, using the `// path/to/file.ts`
 * comment esbuild writes before every module; a file of the compiled CLI → its source file.
 * Undefined when the file is neither.
 */
const bundleMaps = new Map<string, string[]>();
function sourceOfLine(url: string, line: number): string | undefined {
  if (!url.includes('/.cache/upstate-bench/')) return undefined;
  // the compiled CLI (compiledCli): dist/a/b.js is src/a/b.ts (tsc keeps no line map: file only)
  const compiled = /\/upstate-bench\/run-\d+\/dist\/(.+)\.js$/.exec(url);
  if (compiled) return `src/${compiled[1]}.ts`;
  let map = bundleMaps.get(url);
  if (!map) {
    map = [];
    try {
      let current = '(bundle)';
      for (const text of readFileSync(new URL(url), 'utf8').split('\n')) {
        const marker = /^\/\/ ((?:src|bench|node_modules)\/\S+\.[cm]?[jt]s)$/.exec(text);
        if (marker) current = marker[1];
        map.push(current);
      }
    } catch {
      map = [];
    }
    bundleMaps.set(url, map);
  }
  return map[line];
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '') || '(native)';
}

function packageOf(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node internals';
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).split('/').slice(0, 2).join('/');
  return url ? url : '(native/gc/idle)';
}

const [file, topArg, callersOf] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top.ts <file.cpuprofile> [N] [function-name: print its heaviest call paths]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
let total = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const name = node.callFrame.functionName || '(anonymous)';
  if (name === '(idle)') {
    idle += us;
    continue;
  }
  total += us;
  const mapped = sourceOfLine(node.callFrame.url, node.callFrame.lineNumber);
  const key = mapped ? `${name}  ${mapped}` : `${name}  ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const p = ['(garbage collector)', '(program)'].includes(name) ? name : packageOf(mapped ? `/work/${mapped}` : node.callFrame.url);
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle`);
console.log(`\ntop ${top} functions by self time:`);
for (const [key, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
console.log('\nself time by package / source folder:');
for (const [key, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);

if (callersOf) {
  // heaviest call paths (6 frames up) into every node named `callersOf`, by self time
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${sourceOfLine(n.callFrame.url, n.callFrame.lineNumber) ?? shortUrl(n.callFrame.url)}`;
  const paths = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName !== callersOf) continue;
    const chain: string[] = [];
    for (let p = parent.get(id), i = 0; p !== undefined && i < 6; p = parent.get(p), i++) chain.push(label(byId.get(p)!));
    const key = chain.join('  <  ');
    paths.set(key, (paths.get(key) ?? 0) + us);
  }
  console.log(`\nheaviest call paths into ${callersOf}:`);
  for (const [key, us] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}
