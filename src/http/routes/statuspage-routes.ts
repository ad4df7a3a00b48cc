/**
 * Statuspage v2 compatible JSON (`/api/v2/*.json`), with CORS so browser widgets on other
 * origins can read it. Each route is the status model through statuspage-v2.ts.
 * @module
 */
import type { Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppContext } from '../app-context.ts';
import type { StatusModel } from '../../status/status-model.ts';
import { sendCached } from '../conditional-get.ts';
import { spComponents, spIncident, spPage, spStatus, spSummary, type SpPageInfo } from '../statuspage/statuspage-v2.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

type Builder = (model: StatusModel, info: SpPageInfo) => unknown;

const ROUTES: Record<string, Builder> = {
  'summary.json': spSummary,
  'status.json': (m, info) => ({ page: spPage(m, info), status: spStatus(m) }),
  'components.json': (m, info) => ({ page: spPage(m, info), components: spComponents(m, info) }),
  'incidents.json': (m, info) => ({
    page: spPage(m, info),
    incidents: [...m.incidents.active, ...m.incidents.recent.filter((i) => i.kind === 'incident')].map((i) => spIncident(i, m, info)),
  }),
  'incidents/unresolved.json': (m, info) => ({ page: spPage(m, info), incidents: m.incidents.active.map((i) => spIncident(i, m, info)) }),
  'scheduled-maintenances.json': (m, info) => ({
    page: spPage(m, info),
    scheduled_maintenances: [...m.incidents.maintenanceActive, ...m.incidents.maintenanceUpcoming, ...m.incidents.recent.filter((i) => i.kind === 'maintenance')].map((i) =>
      spIncident(i, m, info),
    ),
  }),
  'scheduled-maintenances/upcoming.json': (m, info) => ({ page: spPage(m, info), scheduled_maintenances: m.incidents.maintenanceUpcoming.map((i) => spIncident(i, m, info)) }),
  'scheduled-maintenances/active.json': (m, info) => ({ page: spPage(m, info), scheduled_maintenances: m.incidents.maintenanceActive.map((i) => spIncident(i, m, info)) }),
};

/** CORS for the v2 API; mounted before the auth check so preflights and 401s carry it too. */
export const statuspageCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], maxAge: 86_400 });

export function registerStatuspageRoutes(app: Hono, ctx: AppContext): void {
  const cacheOptions = { maxAgeSeconds: ctx.config.page.cacheSeconds, private: ctx.config.auth !== undefined };
  const pageInfo = (c: Context): SpPageInfo => ({ title: ctx.config.page.title, url: ctx.config.page.publicUrl ?? new URL(c.req.url).origin + (ctx.config.basePath ?? '') });
  for (const [path, build] of Object.entries(ROUTES)) {
    app.get(`/api/v2/${path}`, async (c) => {
      const info = pageInfo(c);
      const entry = await ctx.cache.get(`v2:${info.url}:${path}`, async () => {
        const model = await ctx.model();
        return { body: JSON.stringify(build(model, info)), contentType: JSON_TYPE, status: 200, lastModified: model.updatedAt ?? model.generatedAt };
      });
      return sendCached(c, entry, cacheOptions);
    });
  }
}
