/**
 * `GET /incidents` (history: incidents and completed maintenance by month, with timelines) and
 * `GET /incidents/:id` (one incident or maintenance with its full timeline).
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import type { Incident } from '../../domain/incident.ts';
import { componentId } from '../../status/component-id.ts';
import { incidentHistory } from '../../status/incident-history.ts';
import { sendCached } from '../conditional-get.ts';
import { NotFoundError } from '../http-errors.ts';

const HTML = 'text/html; charset=utf-8';
/** Most entries the history reads (newest first). */
const HISTORY_LIMIT = 500;

export function registerIncidentPageRoutes(app: Hono, ctx: AppContext): void {
  const cacheOptions = { maxAgeSeconds: ctx.config.page.cacheSeconds, private: ctx.config.auth !== undefined };
  const links = (incident: Incident) =>
    incident.checks.map((name) => ({ name, id: ctx.config.checks.some((c) => c.name === name) ? componentId(name) : undefined }));

  app.get('/incidents', async (c) => {
    const entry = await ctx.cache.get('page:/incidents', async () => {
      const now = ctx.now();
      const months = incidentHistory(await ctx.store.listIncidents({ limit: HISTORY_LIMIT }), now);
      const body = ctx.theme.render('incidents.njk', { ...ctx.templateBase(), months, now });
      return { body, contentType: HTML, status: 200, lastModified: Math.max(0, ...months.flatMap((m) => m.incidents.map((i) => i.updatedAt))) || now };
    });
    return sendCached(c, entry, cacheOptions);
  });

  app.get('/incidents/:id', async (c) => {
    const id = c.req.param('id');
    const entry = await ctx.cache.get(`page:/incidents/${id}`, async () => {
      const model = await ctx.model();
      // Configured maintenance windows are not stored; the model knows them.
      const known = [...model.incidents.active, ...model.incidents.maintenanceActive, ...model.incidents.maintenanceUpcoming, ...model.incidents.recent];
      const incident = (await ctx.store.getIncident(id)) ?? known.find((i) => i.id === id);
      if (!incident) throw new NotFoundError('There is no incident with this id.');
      const body = ctx.theme.render('incident.njk', { ...ctx.templateBase(), incident, checks: links(incident), now: model.generatedAt });
      return { body, contentType: HTML, status: 200, lastModified: incident.updatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });
}
