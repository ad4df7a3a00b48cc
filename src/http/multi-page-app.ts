/**
 * Several pages from one instance (`pages:`): each page is a whole app of its own (page, check
 * and incident pages, JSON v1/v2, feeds, badges, live events) built from a narrowed config (its
 * checks, its look, its auth), so no output of one page can reach another page's checks. A thin
 * front app picks the page by `Host` and path prefix; anything else goes to the default page
 * (`page:`). A prefixed page's app sees paths without its prefix, and the absolute links of its
 * HTML get the prefix back.
 * @module
 */
import { Hono, type ExecutionContext } from 'hono';
import { compress } from 'hono/compress';
import type { Incident } from '../domain/incident.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import type { ExtraPageConfig, WebConfig } from './page-config.ts';
import { pageChecks } from './page-checks.ts';
import type { AppDeps } from './create-app.ts';

interface Mounted {
  host?: string;
  path?: string;
  app: Hono;
}

/** An incident as a page of `checks` sees it: naming only its checks, undefined when about none of them. */
function incidentScope(checks: ReadonlySet<string>): (incident: Incident) => Incident | undefined {
  return (i) => {
    const named = i.checks.filter((c) => checks.has(c));
    return named.length ? { ...i, checks: named } : undefined;
  };
}

/**
 * The store as a page sees it: incidents and maintenance about none of its checks do not exist,
 * and the others name only its checks (pages, feeds, v1 and v2 all read incidents through it). Writes and everything else go to the
 * real store; `Object.create` keeps the store's own `this`.
 */
function scopedStore(store: EmbeddedStore, ours: (incident: Incident) => Incident | undefined): EmbeddedStore {
  const scoped = Object.create(store) as EmbeddedStore;
  scoped.listIncidents = async (options) => (await store.listIncidents(options)).flatMap((i) => ours(i) ?? []);
  scoped.getIncident = async (id) => {
    const incident = await store.getIncident(id);
    return incident && ours(incident);
  };
  return scoped;
}

/** The config an extra page's app runs with: its checks and page settings, its auth if it has one. */
function pageConfig(config: WebConfig, page: ExtraPageConfig): WebConfig {
  const { path, host, groups: _groups, checks: _checks, auth, ...settings } = page;
  // a prefixed page on the default host lives under the default page's public URL
  const publicUrl = settings.publicUrl ?? (path && !host && config.page.publicUrl ? `${config.page.publicUrl.replace(/\/$/, '')}${path}` : undefined);
  return { ...config, pages: undefined, basePath: path, page: { ...settings, publicUrl }, checks: pageChecks(page, config.checks), auth: auth ?? config.auth };
}

/** Absolute links (`href="/…"`, `src=/…`, `action="/…"`) of a prefixed page's HTML, with the prefix. */
function prefixLinks(html: string, prefix: string): string {
  return html.replace(/(\s(?:href|src|action)=)(["']?)\/(?!\/)/g, `$1$2${prefix}/`);
}

function hostOf(header: string | undefined): string | undefined {
  return header?.toLowerCase().replace(/:\d+$/, '');
}

/** The front app over the default page and each entry of `config.pages`. */
export function createMultiPageApp(deps: AppDeps, buildApp: (deps: AppDeps) => Hono): Hono {
  const { config } = deps;
  // every page sees incidents of its own checks only, from the store and from the one maintenance watch
  const build = (d: AppDeps) => {
    if (d.config.checks.length === config.checks.length) return buildApp(d);
    const ours = incidentScope(new Set(d.config.checks.map((c) => c.name)));
    const watch = d.maintenanceWatch;
    return buildApp({ ...d, store: scopedStore(d.store, ours), maintenanceWatch: watch && { join: (page) => watch.join({ ...page, scope: ours }) } });
  };
  // the default page: every check, unless `page:` names its own groups or checks
  const { groups, checks, ...main } = config.page;
  const fallback = groups || checks
    ? build({ ...deps, config: { ...config, pages: undefined, page: main, checks: pageChecks({ groups, checks }, config.checks) } })
    : build({ ...deps, config: { ...config, pages: undefined } });
  const mounted: Mounted[] = (config.pages ?? []).map((page) => ({
    host: page.host,
    path: page.path,
    // results are counted once, by the default page's app
    app: build({ ...deps, config: pageConfig(config, page), countBusResults: false }),
  }));
  // most specific first: host and path, then path, then host
  mounted.sort((a, b) => Number(!!b.host) + Number(!!b.path) * 2 - (Number(!!a.host) + Number(!!a.path) * 2) || (b.path?.length ?? 0) - (a.path?.length ?? 0));

  const front = new Hono();
  front.use(compress({ contentTypeFilter: /^\s*(?:text\/html|application\/json|image\/svg\+xml|application\/(?:rss|atom)\+xml)/ }));
  front.all('*', async (c) => {
    // Lambda and Workers hand in an execution context; Node has none (and Hono throws on reading it)
    let ec: ExecutionContext | undefined;
    try {
      ec = c.executionCtx;
    } catch {
      ec = undefined;
    }
    const url = new URL(c.req.url);
    const host = hostOf(c.req.header('host') ?? url.host);
    const match = mounted.find(
      (m) => (!m.host || m.host === host) && (!m.path || url.pathname === m.path || url.pathname.startsWith(`${m.path}/`)),
    );
    if (!match) return fallback.fetch(c.req.raw, c.env, ec);
    if (!match.path) return match.app.fetch(c.req.raw, c.env, ec);
    if (url.pathname === match.path) return c.redirect(`${match.path}/${url.search}`, 308);
    url.pathname = url.pathname.slice(match.path.length);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('accept-encoding'); // the front app compresses after rewriting
    const inner = await match.app.fetch(new Request(url, { method: c.req.method, headers, body: c.req.raw.body, duplex: 'half' } as RequestInit), c.env, ec);
    const location = inner.headers.get('location');
    if (!inner.headers.get('content-type')?.startsWith('text/html') && !location?.startsWith('/')) return inner;
    const out = new Headers(inner.headers);
    if (location?.startsWith('/') && !location.startsWith('//')) out.set('location', `${match.path}${location}`);
    if (!inner.headers.get('content-type')?.startsWith('text/html') || inner.status === 304) return new Response(inner.body, { status: inner.status, headers: out });
    out.delete('content-length');
    return new Response(prefixLinks(await inner.text(), match.path), { status: inner.status, headers: out });
  });
  return front;
}
