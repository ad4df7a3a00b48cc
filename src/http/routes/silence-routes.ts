/**
 * The silences admin API: `GET /api/v1/silences` (running ones; `?all=true` for ended ones too),
 * `POST /api/v1/silences` and `DELETE /api/v1/silences/:id` (expires it now; the record stays).
 * Admin only (bearer token; listing also takes a session cookie). Silences live in the store,
 * so every instance of a cluster honours them within the evaluator's refresh (10 s).
 * @module
 */
import type { Hono } from 'hono';
import { jsonBody, limitBody } from '../request-body.ts';
import type { AppContext } from '../app-context.ts';
import { requireAdmin } from '../admin/admin-access.ts';
import { BadRequestError, NotFoundError } from '../http-errors.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };
const MAX_BODY_BYTES = 16 * 1024;
const limit = limitBody(MAX_BODY_BYTES);
/** The request-body schemas (zod), loaded by the first write (a page-only process never loads them). */
const inputs = async () => ({ ...(await import('../admin/incident-input.ts')), ...(await import('../../alerting/silence-input.ts')) });


export function registerSilenceRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/silences', async (c) => {
    await requireAdmin(c, ctx.admin, ctx.now(), { cookie: true });
    const all = c.req.query('all') === 'true';
    const silences = await ctx.store.listSilences(all ? {} : { activeAt: ctx.now() });
    return c.json({ silences }, 200, NO_STORE);
  });

  app.post('/api/v1/silences', limit, async (c) => {
    const admin = await requireAdmin(c, ctx.admin, ctx.now(), { cookie: false });
    const { buildSilence, parseBody, problemText, silenceInputProblem, silenceInputSchema } = await inputs();
    const input = parseBody(silenceInputSchema, await jsonBody(c));
    const now = ctx.now();
    const problem = silenceInputProblem(input, ctx.known, now);
    if (problem) throw new BadRequestError(problemText(problem));
    const silence = buildSilence(input, now, admin);
    await ctx.store.saveSilence(silence);
    return c.json({ silence }, 201, { ...NO_STORE, Location: `/api/v1/silences/${silence.id}` });
  });

  app.delete('/api/v1/silences/:id', async (c) => {
    await requireAdmin(c, ctx.admin, ctx.now(), { cookie: false });
    const silence = await ctx.store.expireSilence(c.req.param('id'), ctx.now());
    if (!silence) throw new NotFoundError('There is no silence with this id.');
    return c.json({ silence }, 200, NO_STORE);
  });
}
