/**
 * The Nunjucks theme: the default templates shipped in `templates/default/`, optionally
 * overridden file by file from a folder named in `page.templates`. Autoescape is always on, so
 * check names, descriptions and incident text can never inject markup.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { WebConfig } from './page-config.ts';
import * as format from './view-format.ts';
import { dayRuns } from './uptime-runs.ts';

/** Renders a template by name with a context; throws only on template bugs. */
export interface Theme {
  render(name: string, context: Record<string, unknown>): string;
  /** A static file of the theme (override folder first), or undefined when no folder has it. */
  asset(name: string): Buffer | undefined;
}

/**
 * Finds `templates/default` by walking up from this file, so it works from `src/http/` under tsx,
 * from `dist/http/` after `tsc`, and from an installed package.
 */
export function defaultThemeDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'templates', 'default');
    if (existsSync(join(candidate, 'layout.njk'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot find templates/default above ${from}`);
}

/** The override folder of `page.templates`, resolved against the config file's directory. */
export function overrideThemeDir(config: Pick<WebConfig, 'source' | 'page'>): string | undefined {
  return config.page.templates ? resolve(dirname(config.source), config.page.templates) : undefined;
}

/** Creates the theme: override folder first, default theme second in the loader search path. */
export function createTheme(options: { overrideDir?: string; defaultDir?: string; timeZone?: string } = {}): Theme {
  if (options.overrideDir && !existsSync(options.overrideDir)) {
    // A typo in page.templates would otherwise silently fall back to the default theme.
    throw new Error(`page.templates: folder ${options.overrideDir} does not exist`);
  }
  const searchPath = [options.overrideDir, options.defaultDir ?? defaultThemeDir()].filter((p): p is string => !!p);
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(searchPath), {
    autoescape: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('reltime', format.relativeTime);
  env.addFilter('isotime', format.isoTime);
  // Instants in the page's zone (`page.timeZone`); `utc` is the hover text the live script keeps.
  const zone = options.timeZone ?? 'UTC';
  env.addFilter('clock', (at: number | null | undefined) => format.clockTime(at, zone));
  env.addFilter('utc', (at: number | null | undefined) => format.clockTime(at));
  env.addFilter('shortdate', format.shortDate);
  env.addFilter('latency', format.latency);
  env.addFilter('pct', format.percentText);
  env.addFilter('uptimelevel', format.uptimeLevel);
  env.addFilter('humanize', format.humanize);
  env.addFilter('dayruns', dayRuns);
  env.addFilter('timerange', (from: number | null | undefined, until: number | null | undefined) => format.timeRange(from, until, zone));
  env.addFilter('utcrange', (from: number | null | undefined, until: number | null | undefined) => format.timeRange(from, until));
  env.addGlobal('STATUS_LABELS', format.STATUS_LABELS);
  env.addGlobal('OVERALL_TONE', format.OVERALL_TONE);
  env.addGlobal('RESULT_LABELS', format.RESULT_LABELS);
  return {
    render: (name, context) => env.render(name, context),
    asset: (name) => {
      for (const dir of searchPath) {
        const path = join(dir, name);
        if (existsSync(path)) return readFileSync(path);
      }
      return undefined;
    },
  };
}
