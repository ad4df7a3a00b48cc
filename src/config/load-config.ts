/**
 * Loads a config file: YAML with line tracking → `${ENV}` substitution → schema validation →
 * normalisation. Every problem is collected (not just the first) and reported with file, line
 * and path; nothing else in Upstate starts until this succeeds.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './config-error.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';
import { buildConfigSchema } from './config-schema.ts';
import { normalizeChecks } from './normalize-checks.ts';
import { validateMaintenanceTargets } from '../maintenance/create-maintenance-calendar.ts';
import { alertsConfigIssues } from '../alerting/alerts-config.ts';
import { resolveSubscriptions } from '../subscriptions/subscriptions-config.ts';
import { pagesConfigIssues } from '../http/page-config.ts';
import type { UpstateConfig } from './types.ts';
import { probes as defaultProbes, type ProbeRegistry } from '../probes/registry.ts';

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  probes?: ProbeRegistry;
}

/** Largest config file read, in bytes; a 100,000-check config is about 10 MiB. */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** Reads and validates a config file. Throws `ConfigError` listing every issue. */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<UpstateConfig> {
  const absolute = resolve(path);
  let bytes: Buffer;
  try {
    // checked before reading, so a huge file never reaches memory
    const { size } = await stat(absolute);
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError([{ file: path, path: '', message: `file is ${(size / 2 ** 20).toFixed(1)} MiB; a config may be at most ${MAX_CONFIG_BYTES / 2 ** 20} MiB` }]);
    }
    bytes = await readFile(absolute);
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((cause as Error).message);
    throw new ConfigError([{ file: path, path: '', message: reason }], { cause });
  }
  return parseConfig(decodeUtf8(bytes, path), absolute, options);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the file as UTF-8, refusing invalid bytes: a silent U+FFFD would change a check's name,
 * and with it the check's id and history.
 */
function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (cause) {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    throw new ConfigError([{ file, line, path: '', message: `invalid UTF-8 (byte 0x${bytes[offset]?.toString(16)} at offset ${offset}); save the file as UTF-8` }], { cause });
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (!length) return i;
    try {
      strictUtf8.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}

/** Validates config text; `file` is used in messages and to resolve relative paths. */
export function parseConfig(text: string, file: string, options: LoadConfigOptions = {}): UpstateConfig {
  const probes = options.probes ?? defaultProbes;
  const shown = basename(file);
  const { source, issues } = parseYamlSource(text, shown, options.env ?? process.env);
  if (!source) throw new ConfigError(issues);
  const value = withoutExtensionKeys(source.value ?? {});

  const schema = buildConfigSchema(probes);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error.issues, source, shown));
    throw new ConfigError(sortIssues(issues));
  }
  const raw = parsed.data;
  const { checks, issues: checkIssues } = normalizeChecks(raw.checks as Record<string, unknown>[], raw.defaults, probes);
  // cross-section references: maintenance windows must name configured checks and groups
  checkIssues.push(...validateMaintenanceTargets(raw.maintenance, checks));
  // and alert rules must name configured channels, groups and checks
  checkIssues.push(...alertsConfigIssues(raw.alerts, raw.notifiers, checks));
  // and email subscriptions must name an email notifier
  const subscriptions = resolveSubscriptions(raw.subscriptions, raw.notifiers, raw.page.publicUrl, checks);
  checkIssues.push(...subscriptions.issues);
  // and pages must name configured groups and checks, each at its own path or host
  checkIssues.push(...pagesConfigIssues(raw.page, raw.pages, checks));
  for (const issue of checkIssues) {
    issues.push({ file: shown, line: source.lineOf(issue.path), path: formatPath(issue.path), message: issue.message });
  }
  if (issues.length) throw new ConfigError(sortIssues(issues));

  return {
    source: file,
    mode: raw.mode,
    checks,
    page: raw.page,
    pages: raw.pages,
    auth: raw.auth,
    admin: raw.admin,
    server: raw.server,
    scheduler: raw.scheduler,
    retention: { rawMs: raw.retention.raw, hourlyMs: raw.retention.hourly, dailyMs: raw.retention.daily },
    alerts: raw.alerts,
    notifiers: raw.notifiers,
    maintenance: raw.maintenance,
    incidents: raw.incidents,
    subscriptions: subscriptions.value,
    metrics: raw.metrics,
  };
}

/**
 * Top-level keys starting with `x-` are extension fields, ignored as in Compose files: a place to
 * define anchors (`x-defaults: &defaults …`) that checks then merge with `<<: *defaults`.
 */
function withoutExtensionKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('x-')));
}

function zodIssues(zodIssueList: readonly z.core.$ZodIssue[], source: YamlSource, file: string): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of zodIssueList) {
    if (issue.code === 'invalid_union' && 'errors' in issue && Array.isArray(issue.errors)) {
      // report the branch that got furthest instead of a generic "invalid input"
      const branches = issue.errors as z.core.$ZodIssue[][];
      const best = branches.reduce((a, b) => (deepest(b) > deepest(a) ? b : a), branches[0] ?? []);
      if (best.length && deepest(best) > 0) {
        out.push(...zodIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), source, file));
        continue;
      }
    }
    const path = issue.path as PropertyKey[];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (keys.length) {
      for (const key of keys) {
        out.push({ file, line: source.lineOf([...path, key]), path: formatPath([...path, key]), message: 'unknown key' });
      }
      continue;
    }
    out.push({ file, line: source.lineOf(path), path: formatPath(path), message: friendlyMessage(issue) });
  }
  return out;
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return 'is required';
  return issue.message;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
