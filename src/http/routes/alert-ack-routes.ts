/**
 * `POST /api/v1/alerts/:key/ack`: acknowledges an alert in ALARM (the key URL-encoded, e.g.
 * `down%3AAPI`), so it sends no reminders until it resolves. Admin only (bearer token, or a signed-in
 * admin's session cookie). 200 with the record; 404 for an unknown key; 409 when it is not firing.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { requireAdmin } from '../admin/admin-access.ts';
import { ConflictError, NotFoundError } from '../http-errors.ts';
import { acknowledgeAlert } from '../../alerting/acknowledge.ts';

export function registerAlertAckRoutes(app: Hono, ctx: AppContext): void {
  app.post('/api/v1/alerts/:key/ack', async (c) => {
    const admin = await requireAdmin(c, ctx.admin, ctx.now(), { cookie: true });
    const outcome = await acknowledgeAlert(ctx.store, c.req.param('key'), admin, ctx.now());
    if (!outcome.ok && outcome.reason === 'unknown') throw new NotFoundError('There is no alert with this key.');
    if (!outcome.ok) throw new ConflictError('This alert is not firing; there is nothing to acknowledge.');
    const { key, rule, check, state, since, ackedAt, ackedBy } = outcome.record;
    return c.json({ alert: { key, rule, check, state, since, ackedAt, ackedBy } }, 200, { 'Cache-Control': 'no-store' });
  });
}
