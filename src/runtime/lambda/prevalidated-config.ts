/**
 * The config validated when the zips are built (`scripts/package-aws.mjs`), shipped beside the
 * YAML as `upstate.config.json`, so a cold start need not load the YAML parsers and the config
 * schema nor run them: it reads the JSON instead. Used only when it is certain to equal what
 * parsing would give at run time:
 * - the config has no `${NAME}` reference (those are resolved from the function's secrets, which
 *   the build cannot see), which the build checks by recording every variable the loader asks for;
 * - the bundled YAML is byte for byte the one it was built from (its SHA-256 is in the JSON), so
 *   a YAML edited in the zip afterwards is parsed as before;
 * - the config comes from the bundled file, not from an SSM parameter (`UPSTATE_CONFIG_PARAMETER`).
 * Paths under the build folder (the config's own `source`) are stored relative to the bundle and
 * resolved against it again here.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpstateConfig } from '../../config/types.ts';

/** The file name beside the bundled `upstate.yaml`. */
export const PREVALIDATED_FILE = 'upstate.config.json';
/** Stands for the bundle folder at the start of a stored path. */
const BUNDLE_MARK = '<bundle>';

interface Prevalidated {
  format: 1;
  /** SHA-256 (hex) of the YAML text the config was validated from. */
  sha256: string;
  config: UpstateConfig;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Rewrites every string that is `from` or starts with `from/` to start with `to` instead. */
function rebase(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value === from || value.startsWith(`${from}/`) ? to + value.slice(from.length) : value;
  if (Array.isArray(value)) return value.map((item) => rebase(item, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rebase(item, from, to)]));
  return value;
}

/**
 * Where `value` holds something JSON would not carry back (a Set — `activeHours.days` —, a Map, a
 * Date, a function, a class instance, a non-finite number), as a dotted path; undefined when it
 * is plain JSON. Such a config is not shipped as JSON: the function parses the YAML instead.
 */
export function nonJsonPath(value: unknown, path = 'config'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonJsonPath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) return path;
  for (const [key, item] of Object.entries(value)) {
    const found = nonJsonPath(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Build side: the JSON to ship for `config`, validated from `yamlText` by the real loader with
 * the copy in `bundleDir` as its file.
 */
export function prevalidatedJson(config: UpstateConfig, yamlText: string, bundleDir: string): string {
  const stored: Prevalidated = { format: 1, sha256: sha256(yamlText), config: rebase(config, bundleDir, BUNDLE_MARK) as UpstateConfig };
  return JSON.stringify(stored);
}

/**
 * Run side: the config from `bundleDir/upstate.config.json` when it was built from exactly the
 * YAML at `yamlFile`; undefined when there is none or it does not match (then parse the YAML).
 */
export async function readPrevalidatedConfig(bundleDir: string, yamlFile: string): Promise<UpstateConfig | undefined> {
  let stored: Prevalidated;
  let yamlText: string;
  try {
    stored = JSON.parse(await readFile(join(bundleDir, PREVALIDATED_FILE), 'utf8')) as Prevalidated;
    yamlText = await readFile(yamlFile, 'utf8');
  } catch {
    return undefined;
  }
  if (stored.format !== 1 || stored.sha256 !== sha256(yamlText)) return undefined;
  return rebase(stored.config, BUNDLE_MARK, bundleDir) as UpstateConfig;
}
