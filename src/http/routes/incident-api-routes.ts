/**
 * The incident admin API: create, update, delete and list incidents and maintenance
 * (`/api/v1/incidents`). Every route needs an admin bearer token; listing also accepts a signed-in
 * admin's session cookie. Writes drop the cached page and model, so the change shows at once.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { jsonBody, limitBody } from '../request-body.ts';
import type { AppContext } from '../app-context.ts';
import type { Incident } from '../../domain/incident.ts';
import { applyIncidentPatch, createIncident, statusesFor } from '../../status/incident-edits.ts';
import { requireAdmin } from '../admin/admin-access.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../http-errors.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };
const LIST_LIMIT = 500;
/** Largest request body: a title, a 10 000-character update and a list of checks fit easily. */
const MAX_BODY_BYTES = 64 * 1024;
const limit = limitBody(MAX_BODY_BYTES);

/** Random ids: `inc_` + 16 hex chars for incidents, shorter for updates. */
/**
 * The request-body schemas (zod), loaded by the first write: a process that only serves pages and
 * reads (the page Lambda's usual work) never loads them.
 */
const inputs = () => import('../admin/incident-input.ts');

const newId = () => `inc_${randomBytes(8).toString('hex')}`;


export function registerIncidentApiRoutes(app: Hono, ctx: AppContext): void {
  const admin = (c: Context, cookie = false) => requireAdmin(c, ctx.admin, ctx.now(), { cookie });

  const load = async (id: string): Promise<Incident> => {
    const incident = await ctx.store.getIncident(id);
    if (!incident) throw new NotFoundError('There is no incident with this id.');
    return incident;
  };
  const editable = (incident: Incident) => {
    if (incident.source === 'config') throw new ConflictError('This incident is declared in the config file; change it there.');
  };

  app.get('/api/v1/incidents', async (c) => {
    await admin(c, true);
    const incidents = await ctx.store.listIncidents({ limit: LIST_LIMIT });
    return c.json({ incidents }, 200, NO_STORE);
  });

  app.get('/api/v1/incidents/:id', async (c) => {
    await admin(c, true);
    return c.json({ incident: await load(c.req.param('id')) }, 200, NO_STORE);
  });

  app.post('/api/v1/incidents', limit, async (c) => {
    await admin(c);
    const { assertKnownChecks, newIncidentSchema, parseBody } = await inputs();
    const input = parseBody(newIncidentSchema, await jsonBody(c));
    assertKnownChecks(input.checks, ctx.known.checks);
    const incident = createIncident(input, ctx.now(), newId);
    await ctx.store.saveIncident(incident);
    ctx.invalidate();
    return c.json({ incident }, 201, { ...NO_STORE, Location: `/api/v1/incidents/${incident.id}` });
  });

  app.patch('/api/v1/incidents/:id', limit, async (c) => {
    await admin(c);
    const { assertKnownChecks, incidentPatchSchema, parseBody } = await inputs();
    const patch = parseBody(incidentPatchSchema, await jsonBody(c));
    const current = await load(c.req.param('id'));
    editable(current);
    if (patch.status && !statusesFor(current.kind).includes(patch.status)) {
      throw new BadRequestError(`status: must be one of ${statusesFor(current.kind).join(', ')} for a ${current.kind}`);
    }
    assertKnownChecks(patch.checks, ctx.known.checks);
    const next = applyIncidentPatch(current, patch, ctx.now(), newId);
    if (next.scheduledFor !== undefined && next.scheduledUntil !== undefined && next.scheduledUntil <= next.scheduledFor) {
      throw new BadRequestError('scheduledUntil: must be after scheduledFor');
    }
    await ctx.store.saveIncident(next);
    ctx.invalidate();
    return c.json({ incident: next }, 200, NO_STORE);
  });

  app.delete('/api/v1/incidents/:id', async (c) => {
    await admin(c);
    editable(await load(c.req.param('id')));
    await ctx.store.deleteIncident(c.req.param('id'));
    ctx.invalidate();
    return c.body(null, 204, NO_STORE);
  });
}
