/**
 * HTML pages: the status page (`/`) and one page per check (`/checks/:id`), server-rendered from
 * the theme and served through the response cache with ETag/304.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.js';
import { sendCached } from '../conditional-get.js';
import { NotFoundError } from '../http-errors.js';
import { latencyChart } from '../latency-chart.js';

/** Recent results shown on a check page. */
const DETAIL_RESULTS = 50;

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

  app.get('/checks/:id', async (c) => {
    const id = c.req.param('id');
    const entry = await ctx.cache.get(`page:/checks/${id}`, async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      const results = await ctx.store.readRecentResults(component.name, { limit: DETAIL_RESULTS });
      const incidents = [...model.incidents.active, ...model.incidents.maintenanceActive, ...model.incidents.recent].filter((i) =>
        i.checks.includes(component.name),
      );
      const body = ctx.theme.render('check.njk', {
        ...ctx.templateBase(),
        model,
        component,
        results,
        incidents,
        chart: latencyChart(component.latency.hourly24h),
        now: model.generatedAt,
      });
      return { body, contentType: HTML, status: 200, lastModified: component.lastCheckedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });
}
