/**
 * The JSON API (`/api/v1/…`): the status model as it is, one component, and a check's recent
 * raw results. Documented in docs/api.md.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import type { CheckResult } from '../../domain/result.ts';
import type { StatusComponent, StatusModel } from '../../status/status-model.ts';
import { sendCached } from '../conditional-get.ts';
import { BadRequestError, NotFoundError } from '../http-errors.ts';
import { adminOf } from '../admin/admin-access.ts';
import { publicFailure } from '../../status/public-failure.ts';
import { dayDetails } from '../../status/day-details.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_RESULTS = 1000;
const DEFAULT_RESULTS = 100;
/** Most incidents a check's day list considers (newest first, updated within the 90 days). */
const DAY_INCIDENT_LIMIT = 500;
const DAY_MS = 86_400_000;

/**
 * The public shape of a raw result: probe details stay internal, and the failure says only its
 * class-level reason unless an admin (`detail`) is asking.
 */
function resultJson(r: CheckResult, detail: boolean) {
  return {
    at: r.at,
    status: r.status,
    latencyMs: r.latencyMs,
    statusCode: r.statusCode,
    failure: detail ? r.failure : publicFailure(r.failure, r.statusCode),
    timings: r.timings,
    region: r.region,
    inMaintenance: r.inMaintenance,
  };
}

/** Optional parts of `/api/v1/status`, asked for with `?include=daily,hourly`. */
const STATUS_INCLUDES = ['daily', 'hourly'] as const;
type StatusInclude = (typeof STATUS_INCLUDES)[number];

/** Where a tool finds what the lean document leaves out (sent as `links`). */
const STATUS_LINKS = {
  daily: '/api/v1/status?include=daily',
  hourly: '/api/v1/status?include=hourly',
  check: '/api/v1/checks/{id}',
  days: '/api/v1/checks/{id}/days',
};

/**
 * The model as `/api/v1/status` sends it: groups list their components' ids (the components
 * themselves are in `components`), and the 168-point 7-day series stays on the per-check route.
 * The 90-day `daily` series (components and groups) and the 24-point `latency.hourly24h` come
 * only when `include` names them: together they are over 90% of the bytes (about 8 KB of a
 * check's 8.4 KB), and 2,000 checks would weigh 16 MB.
 */
export function statusJson(model: StatusModel, include: ReadonlySet<StatusInclude> = new Set()) {
  const daily = include.has('daily');
  const hourly = include.has('hourly');
  return {
    ...model,
    // undefined members are left out by JSON.stringify; the others keep their order
    groups: model.groups.map((g) => ({ ...g, components: g.components.map((c) => c.id), daily: daily ? g.daily : undefined })),
    components: model.components.map((c) => componentJson(c, daily, hourly)),
    links: STATUS_LINKS,
  };
}

/**
 * One component of the status document, keys in the model's order. Copied key by key rather than
 * spread: the model makes `daily` and the latency series when first read, and a spread would
 * read (and so make) the ones the document leaves out.
 */
function componentJson(c: StatusComponent, daily: boolean, hourly: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(c) as (keyof StatusComponent)[]) {
    if (key === 'daily') out.daily = daily ? c.daily : undefined;
    else if (key === 'latency') out.latency = { hourly24h: hourly ? c.latency.hourly24h : undefined, summary24h: c.latency.summary24h };
    else out[key] = c[key];
  }
  return out;
}

/** The parts `?include=` asks for: a comma-separated list of `daily` and `hourly`. */
function includeParam(value: string | undefined): Set<StatusInclude> {
  const include = new Set<StatusInclude>();
  for (const part of (value ?? '').split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (!(STATUS_INCLUDES as readonly string[]).includes(name)) throw new BadRequestError(`include must list ${STATUS_INCLUDES.join(' and/or ')} (comma-separated), got "${name}"`);
    include.add(name as StatusInclude);
  }
  return include;
}

function intParam(value: string | undefined, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new BadRequestError(`${name} must be an integer between ${min} and ${max}`);
  }
  return Number(value);
}

export function registerApiRoutes(app: Hono, ctx: AppContext): void {
  const cacheOptions = { maxAgeSeconds: ctx.config.page.cacheSeconds, private: ctx.config.auth !== undefined };

  app.get('/api/v1/status', async (c) => {
    const include = includeParam(c.req.query('include'));
    // one cache entry per distinct set, whatever order or repetition the query used
    const key = include.size ? `api:/status?include=${STATUS_INCLUDES.filter((x) => include.has(x)).join(',')}` : 'api:/status';
    const entry = await ctx.cache.get(key, async () => {
      const model = await ctx.model();
      return { body: JSON.stringify(statusJson(model, include)), contentType: JSON_TYPE, status: 200, lastModified: model.updatedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });

  app.get('/api/v1/checks/:id', async (c) => {
    const id = c.req.param('id');
    const entry = await ctx.cache.get(`api:/checks/${id}`, async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      return { body: JSON.stringify(component), contentType: JSON_TYPE, status: 200, lastModified: component.lastCheckedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });

  // What a day cell's popover shows: the 90 days with minutes and that day's incidents. Fetched
  // when a visitor opens a day, so the page itself carries no per-day data beyond its tooltips.
  app.get('/api/v1/checks/:id/days', async (c) => {
    const id = c.req.param('id');
    const entry = await ctx.cache.get(`api:/checks/${id}/days`, async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      const since = (component.daily[0]?.start ?? model.generatedAt) - DAY_MS;
      const stored = await ctx.store.listIncidents({ since, limit: DAY_INCIDENT_LIMIT });
      // configured maintenance windows are not stored: the model knows the current ones
      const known = [...model.incidents.active, ...model.incidents.maintenanceActive, ...model.incidents.recent];
      const days = dayDetails(component, [...stored, ...known], model.generatedAt);
      const body = JSON.stringify({ check: { id: component.id, name: component.name }, days });
      return { body, contentType: JSON_TYPE, status: 200, lastModified: component.lastCheckedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });

  app.get('/api/v1/checks/:id/results', async (c) => {
    const id = c.req.param('id');
    const limit = intParam(c.req.query('limit'), 'limit', DEFAULT_RESULTS, 1, MAX_RESULTS) as number;
    const before = intParam(c.req.query('before'), 'before', undefined, 0, Number.MAX_SAFE_INTEGER);
    // An admin's bearer token unlocks the probes' own messages: never cached, never shared.
    const detail = (await adminOf(c, ctx.admin, ctx.now(), { cookie: false })) !== undefined;
    const render = async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      const results = await ctx.store.readRecentResults(component.name, { limit, before });
      const body = JSON.stringify({ check: { id: component.id, name: component.name }, results: results.map((r) => resultJson(r, detail)) });
      return { body, contentType: JSON_TYPE, status: 200, lastModified: results[0]?.at ?? model.generatedAt };
    };
    if (detail) return c.body((await render()).body, 200, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'private, no-store', Vary: 'Authorization' });
    const entry = await ctx.cache.get(`api:/checks/${id}/results?limit=${limit}&before=${before ?? ''}`, render);
    return sendCached(c, entry, { ...cacheOptions, vary: 'Accept-Encoding, Authorization' });
  });
}
