/**
 * Config sections owned by the web layer: `page:` (title, theme, templates, caching), `auth:`
 * (the reverse-proxy header check) and `admin:` (bearer tokens for the admin API).
 * @module
 */
import type { MetricsConfig } from './metrics-config.ts';
import { z } from 'zod';
import { canonicalTimeZone } from '../maintenance/maintenance-config.ts';
import type { Check } from '../domain/check.ts';
import type { ServerConfig } from './server-config.ts';
import type { AckLinksConfig } from '../alerting/ack-link.ts';
import type { SubscriptionsConfig } from '../subscriptions/subscriptions-config.ts';

const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour like #0a7d4f');
const link = z.strictObject({
  label: z.string().min(1).max(100),
  url: z.string().regex(/^(?:https?:\/\/|\/|mailto:)/, 'must be an http(s) URL, a path or a mailto: link'),
});

const pageFields = {
    title: z.string().min(1).max(200).default('Service status'),
    description: z.string().max(2000).optional(),
    /** Public base URL of the page, used in feeds, alerts and push URLs. */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Folder of templates overriding the default theme, relative to the config file. */
    templates: z.string().min(1).optional(),
    /** Logo image URL shown left of the title (an absolute URL or a path). */
    logo: z.string().regex(/^(?:https?:\/\/|\/|data:image\/)/, 'must be an http(s) URL, a path or a data:image URL').optional(),
    /** Links in the header (e.g. "Support", "Home"). */
    links: z.array(link).max(10).default([]),
    /** Free text in the footer. */
    footer: z.string().max(500).optional(),
    theme: z
      .strictObject({
        /** Brand colour for links and focus rings. */
        accent: hexColour.optional(),
      })
      .prefault({}),
    /** Seconds between automatic reloads of the page when JavaScript is off; 0 disables it. */
    refreshSeconds: z.number().int().min(0).max(3600).default(60),
    /** IANA zone of the times the server writes (default UTC); the live script shows the visitor's zone. */
    timeZone: z
      .string()
      .refine((zone) => canonicalTimeZone(zone) !== undefined, 'must be an IANA time zone like Europe/Berlin or UTC')
      .transform((zone) => canonicalTimeZone(zone) as string)
      .optional(),
    /** With more checks than this, healthy groups start collapsed (unhealthy ones always open). */
    collapseGroupsAbove: z.number().int().min(0).max(1_000_000).default(20),
    /** `Cache-Control: max-age` of pages and API responses, and the in-process cache TTL. */
    cacheSeconds: z.number().int().min(0).max(3600).default(30),
    /**
     * How long output may lag results that change no check's status: within it, cached output is
     * served and re-rendered in the background; status changes and incidents show at once. 0: every
     * result batch drops the outputs it touches.
     */
    liveRefreshSeconds: z.number().int().min(0).max(300).default(5),
    /** Only these groups' checks on this page (with `checks`: either); every check when neither is given. */
    groups: z.array(z.string().min(1)).optional(),
    /** Only these checks on this page (with `groups`: either). */
    checks: z.array(z.string().min(1)).optional(),
};

export const pageConfigSchema = z.strictObject(pageFields).prefault({});

/**
 * One more page of the same instance (`pages:`): its own path prefix or `Host`, its own look,
 * a subset of the checks (named groups and/or checks; every check when neither is given) and
 * optionally its own proxy-header `auth` (else the top-level one applies).
 */
const extraPageSchema = z
  .strictObject({
    ...pageFields,
    /** Path prefix the page is served under, e.g. `/internal` (no trailing slash). */
    path: z.string().regex(/^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/, 'must be a path like /internal (no trailing slash)').optional(),
    /** `Host` the page is served for, e.g. `status.internal.example` (a port is ignored). */
    host: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'must be a host name like status.example.com')
      .transform((h) => h.toLowerCase())
      .optional(),
    auth: z.strictObject({
      header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'),
      secrets: z.array(z.string().min(8, 'must be at least 8 characters')).min(1),
    }).optional(),
  })
  .refine((p) => p.path !== undefined || p.host !== undefined, { message: 'needs a path or a host (or both)' });

export const pagesConfigSchema = z.array(extraPageSchema).max(100).optional();

/** One entry of `pages:`, defaults applied. */
export type ExtraPageConfig = z.output<typeof extraPageSchema>;

/**
 * Cross-checks of `pages:` against the checks: unknown groups and checks, a page that would show
 * nothing, and two pages claiming the same path or host. Paths index the YAML (for file:line).
 */
export function pagesConfigIssues(
  page: Pick<ExtraPageConfig, 'groups' | 'checks'>,
  pages: readonly ExtraPageConfig[] | undefined,
  checks: readonly Pick<Check, 'name' | 'group'>[],
) {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const names = new Set(checks.map((c) => c.name));
  const groups = new Set(checks.flatMap((c) => (c.group ? [c.group] : [])));
  const scope = (p: Pick<ExtraPageConfig, 'groups' | 'checks'>, at: (string | number)[]) => {
    p.groups?.forEach((g, j) => {
      if (!groups.has(g)) issues.push({ path: [...at, 'groups', j], message: `no check is in group "${g}"` });
    });
    p.checks?.forEach((c, j) => {
      if (!names.has(c)) issues.push({ path: [...at, 'checks', j], message: `unknown check "${c}"` });
    });
  };
  scope(page, ['page']);
  const seen = new Map<string, number>();
  (pages ?? []).forEach((page, i) => {
    scope(page, ['pages', i]);
    // a page is served where its host and path both match: that pair must be unique
    const key = `${page.host ?? '*'} ${page.path ?? '/'}`;
    const other = seen.get(key);
    if (other !== undefined) {
      issues.push({ path: ['pages', i, page.path !== undefined ? 'path' : 'host'], message: `pages[${other}] already serves ${page.host ?? 'any host'}${page.path ?? '/'}` });
    } else seen.set(key, i);
  });
  return issues;
}

export const authConfigSchema = z
  .strictObject({
    header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'),
    secrets: z.array(z.string().min(8, 'must be at least 8 characters')).min(1),
  })
  .optional();

export const adminConfigSchema = z
  .strictObject({
    tokens: z.array(z.strictObject({ name: z.string().min(1), token: z.string().min(16, 'must be at least 16 characters') })).default([]),
  })
  .optional();

type PageConfig = z.output<typeof pageConfigSchema>;
export type AuthConfig = NonNullable<z.output<typeof authConfigSchema>>;
export type AdminConfig = NonNullable<z.output<typeof adminConfigSchema>>;

/**
 * The slice of the configuration the web layer reads. The full config (config/types.ts) is
 * composed from it, so the web layer never needs to know the rest.
 */
export interface WebConfig {
  /** Absolute path of the config file (relative paths such as page.templates resolve against it). */
  source: string;
  checks: Check[];
  page: PageConfig;
  auth?: AuthConfig;
  admin?: AdminConfig;
  /** The `server:` section (trusted proxies, connection limits); defaults apply when absent. */
  server?: ServerConfig;
  /** The `subscriptions:` section (email subscriptions), with its SMTP settings resolved. */
  subscriptions?: SubscriptionsConfig;
  /** The `metrics:` section (per-check series or bounded ones only); `auto` when absent. */
  metrics?: MetricsConfig;
  /** The `alerts:` section; the web app reads only the acknowledge-link secret. */
  alerts?: { ackLinks?: AckLinksConfig };
  /** More pages of this instance, by path prefix or `Host` (`page:` stays the default one). */
  pages?: ExtraPageConfig[];
  /** Set for a page served under a path prefix (not a YAML key): absolute URLs the app builds add it. */
  basePath?: string;
}
