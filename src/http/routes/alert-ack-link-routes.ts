/**
 * `GET /alerts/ack?key&exp&sig`: the page an acknowledge link in a message opens. GET only shows
 * the alert and a button (link previews, chat unfurlers and mail scanners fetch links, so a GET
 * must change nothing); the button POSTs the same signed parameters, which acknowledges the alert.
 * The signature is the authority (alerting/ack-link.ts): no sign-in, and no cookie is read, so the
 * form needs no CSRF token. 403 for a bad signature, 410 for an expired link, 404 when links are off.
 * @module
 */
import type { Context, Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { verifyAckLink } from '../../alerting/ack-link.ts';
import { acknowledgeAlert } from '../../alerting/acknowledge.ts';

/** Who `ackedBy` names for an acknowledgement through a link. */
const ACKED_BY = 'ack link';

const HEADERS = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' };

export function registerAlertAckLinkRoutes(app: Hono, ctx: AppContext): void {
  const page = (c: Context, status: 200 | 403 | 404 | 409 | 410, view: Record<string, unknown>) =>
    c.html(ctx.theme.render('alert-ack.njk', { ...ctx.templateBase(), ...view }), status, HEADERS);

  async function handle(c: Context, params: { key?: string; exp?: string; sig?: string }, confirm: boolean) {
    const secret = ctx.config.alerts?.ackLinks?.secret;
    if (!secret) return page(c, 404, { outcome: 'disabled' });
    const now = ctx.now();
    const check = verifyAckLink(secret, params, now);
    if (!check.ok) return page(c, check.reason === 'expired' ? 410 : 403, { outcome: check.reason });
    const record = (await ctx.store.readAlerts()).find((r) => r.key === check.key);
    if (!record) return page(c, 404, { outcome: 'unknown', key: check.key });
    if (!confirm) return page(c, 200, { outcome: record.state !== 'ALARM' ? 'not-firing' : record.ackedAt !== undefined ? 'acked' : 'confirm', record, params });
    const outcome = await acknowledgeAlert(ctx.store, check.key, ACKED_BY, now);
    if (!outcome.ok) return page(c, outcome.reason === 'unknown' ? 404 : 409, { outcome: outcome.reason, record, key: check.key });
    return page(c, 200, { outcome: 'acked', record: outcome.record });
  }

  app.get('/alerts/ack', (c) => handle(c, c.req.query(), false));
  app.post('/alerts/ack', async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    return handle(c, { key: field('key'), exp: field('exp'), sig: field('sig') }, true);
  });
}
