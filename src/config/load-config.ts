/**
 * Loads a config file: YAML with line tracking → `${ENV}` substitution → schema validation →
 * normalisation. Every problem is collected (not just the first) and reported with file, line
 * and path; nothing else in Upstate starts until this succeeds.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './config-error.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';
import { buildConfigSchema } from './config-schema.ts';
import { normalizeChecks } from './normalize-checks.ts';
import { validateMaintenanceTargets } from '../maintenance/create-maintenance-calendar.ts';
import { alertsConfigIssues } from '../alerting/alerts-config.ts';
import type { UpstateConfig } from './types.ts';
import { probes as defaultProbes, type ProbeRegistry } from '../probes/registry.ts';

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  probes?: ProbeRegistry;
}

/** Reads and validates a config file. Throws `ConfigError` listing every issue. */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<UpstateConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((cause as Error).message);
    throw new ConfigError([{ file: path, path: '', message: reason }], { cause });
  }
  return parseConfig(text, absolute, options);
}

/** Validates config text; `file` is used in messages and to resolve relative paths. */
export function parseConfig(text: string, file: string, options: LoadConfigOptions = {}): UpstateConfig {
  const probes = options.probes ?? defaultProbes;
  const shown = basename(file);
  const { source, issues } = parseYamlSource(text, shown, options.env ?? process.env);
  if (!source) throw new ConfigError(issues);
  const value = source.value ?? {};

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
  for (const issue of checkIssues) {
    issues.push({ file: shown, line: source.lineOf(issue.path), path: formatPath(issue.path), message: issue.message });
  }
  if (issues.length) throw new ConfigError(sortIssues(issues));

  return {
    source: file,
    checks,
    page: raw.page,
    auth: raw.auth,
    admin: raw.admin,
    scheduler: raw.scheduler,
    retention: { rawMs: raw.retention.raw, hourlyMs: raw.retention.hourly, dailyMs: raw.retention.daily },
    alerts: raw.alerts,
    notifiers: raw.notifiers,
    maintenance: raw.maintenance,
    incidents: raw.incidents,
  };
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
