/**
 * Config sections owned by the web layer: `page:` (title, theme, templates, caching), `auth:`
 * (the reverse-proxy header check) and `admin:` (bearer tokens for the admin API).
 * @module
 */
import type { MetricsConfig } from './metrics.ts';
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

export const pageConfigSchema = z
  .strictObject({
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
  })
  .prefault({});

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
}
