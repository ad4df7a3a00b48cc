/**
 * HTML pages: the status page (`/`), one page per group (`/groups/:id`) and one per check (`/checks/:id`), server-rendered from
 * the theme and served through the response cache with ETag/304. A signed-in admin's check page
 * adds the check's alert history; it is rendered per request and never stored in any cache.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import type { CheckResult, Failure } from '../../domain/result.ts';
import type { StatusComponent } from '../../status/status-model.ts';
import { regionViews } from '../../status/build-status-model.ts';
import { publicReason } from '../../status/public-failure.ts';
import { adminOf } from '../admin/admin-access.ts';
import { readAlertHistory } from '../admin/alert-history.ts';
import { sendCached } from '../conditional-get.ts';
import { NotFoundError } from '../http-errors.ts';
import { latencyChart } from '../latency-chart.ts';

/** Recent results shown on a check page. */
const DETAIL_RESULTS = 50;
/** How many older results a check page searches for the last failure when the shown ones have none. */
const FAILURE_LOOKBACK = 500;

/**
 * The most recent failed result: from the shown results, else from one bounded read of older
 * ones. The store keeps no "last failure" per check, so the home page cannot show this cheaply.
 */
async function lastFailureOf(ctx: AppContext, component: StatusComponent, results: readonly CheckResult[]) {
  let failed = results.find((r) => r.failure !== undefined);
  const oldest = results.at(-1);
  if (!failed && oldest && results.length === DETAIL_RESULTS) {
    const older = await ctx.store.readRecentResults(component.name, { limit: FAILURE_LOOKBACK, before: oldest.at });
    failed = older.find((r) => r.failure !== undefined);
  }
  return failed?.failure ? { ...failed.failure, statusCode: failed.statusCode, at: failed.at } : undefined;
}

/**
 * A failure as the check page shows it: the class-level reason, plus the probe's own message
 * (which may name the URL, host or an echoed header) only when an admin is asking.
 */
function failureView(failure: Failure | undefined, statusCode: number | undefined, detail: boolean) {
  return failure && { reason: publicReason(failure, statusCode), detail: detail ? failure.message : undefined };
}

const HTML = 'text/html; charset=utf-8';

export function registerPageRoutes(app: Hono, ctx: AppContext): void {
  const cacheOptions = { maxAgeSeconds: ctx.config.page.cacheSeconds, private: ctx.config.auth !== undefined };

  app.get('/', async (c) => {
    const entry = await ctx.cache.get('page:/', async () => {
      const model = await ctx.model();
      const body = ctx.theme.render('index.njk', { ...ctx.templateBase(), model, now: model.generatedAt });
      return { body, contentType: HTML, status: 200, lastModified: model.updatedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });

  // One group's checks with their bars: where a collapsed group of a large page leads (and what
  // live.js loads in place when such a group is opened).
  app.get('/groups/:id', async (c) => {
    const id = c.req.param('id');
    const entry = await ctx.cache.get(`page:/groups/${id}`, async () => {
      const model = await ctx.model();
      const group = model.groups.find((g) => g.id === id);
      if (!group) throw new NotFoundError('There is no group with this id.');
      const body = ctx.theme.render('group.njk', { ...ctx.templateBase(), model, group, now: model.generatedAt });
      return { body, contentType: HTML, status: 200, lastModified: model.updatedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });

  app.get('/checks/:id', async (c) => {
    const id = c.req.param('id');
    const admin = await adminOf(c, ctx.admin, ctx.now(), { cookie: true });
    const render = async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      const results = await ctx.store.readRecentResults(component.name, { limit: DETAIL_RESULTS });
      const incidents = [...model.incidents.active, ...model.incidents.maintenanceActive, ...model.incidents.recent].filter((i) =>
        i.checks.includes(component.name),
      );
      const detail = admin !== undefined;
      const alertHistory = detail ? await readAlertHistory(ctx.store, { check: component.name, limit: 50 }) : undefined;
      const failed = await lastFailureOf(ctx, component, results);
      const current = component.lastFailure !== undefined && failed?.at === component.lastFailure.at;
      const check = ctx.config.checks.find((x) => x.name === component.name);
      const regions = detail && check && component.regions ? regionViews(check, (await ctx.store.readStates()).find((s) => s.check === component.name), true) : component.regions;
      const body = ctx.theme.render('check.njk', {
        ...ctx.templateBase(),
        model,
        component: { ...component, regions },
        results: results.map((r) => ({ ...r, failure: failureView(r.failure, r.statusCode, detail) })),
        incidents,
        lastFailure:
          component.lastFailure && !current
            ? { reason: component.lastFailure.message, at: component.lastFailure.at, current: true }
            : failed && { ...failureView(failed, failed.statusCode, detail), at: failed.at, current },
        admin,
        alertHistory,
        charts: [
          { id: '24h', label: 'last 24 hours', chart: latencyChart(component.latency.hourly24h), axis: ['24 h ago', '12 h ago', 'now'] },
          { id: '7d', label: 'last 7 days', chart: latencyChart(component.latency.hourly7d), axis: ['7 d ago', '3½ d ago', 'now'] },
        ],
        now: model.generatedAt,
      });
      return { body, contentType: HTML, status: 200, lastModified: component.lastCheckedAt ?? model.generatedAt };
    };
    if (admin !== undefined) {
      const page = await render();
      return c.body(page.body, 200, { 'Content-Type': HTML, 'Cache-Control': 'private, no-store', Vary: 'Cookie, Authorization' });
    }
    const entry = await ctx.cache.get(`page:/checks/${id}`, render);
    // The same URL shows more to a signed-in admin: shared caches must key on the cookie.
    return sendCached(c, entry, { ...cacheOptions, vary: 'Accept-Encoding, Cookie, Authorization' });
  });
}
