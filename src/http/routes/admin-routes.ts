/**
 * Admin sign-in and alert history: `GET|POST /admin/login`, `POST /admin/logout` and
 * `GET /api/v1/alerts`. Signing in trades an admin token for an HttpOnly, SameSite=Strict session
 * cookie (Secure over https) so a person can see alert history on check pages; scripts send the
 * token as a bearer header instead.
 * @module
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { limitBody } from '../request-body.ts';
import type { AppContext } from '../app-context.ts';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../admin/admin-auth.ts';
import { adminOf, checkedToken, requireAdmin } from '../admin/admin-access.ts';
import { ALERT_HISTORY_LIMIT, readAlertHistory } from '../admin/alert-history.ts';
import { componentId } from '../../status/component-id.ts';
import { BadRequestError, NotFoundError, TooManyGuessesError } from '../http-errors.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** True when the visitor reached us over https (directly or through a TLS-terminating proxy). */
function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** Only same-site paths are followed after sign-in (no `//host` or `/\host` open redirects). */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';
}

export function registerAdminRoutes(app: Hono, ctx: AppContext): void {
  const render = (c: Context, status: 200 | 401 | 429, values: Record<string, unknown>) =>
    c.html(ctx.theme.render('login.njk', { ...ctx.templateBase(), enabled: ctx.admin.enabled, ...values }), status, NO_STORE);

  app.get('/admin/login', async (c) => {
    const admin = await adminOf(c, ctx.admin, ctx.now(), { cookie: true });
    return render(c, 200, { next: safeNext(c.req.query('next')), admin });
  });

  const limit = limitBody(8192);
  app.post('/admin/login', limit, async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    // wrong tokens share one budget per client address with the bearer header (admin-access.ts)
    let name: string | undefined;
    try {
      name = checkedToken(c, ctx.admin, ctx.now(), typeof form.token === 'string' ? form.token.trim() : undefined);
    } catch (error) {
      if (!(error instanceof TooManyGuessesError)) throw error;
      c.header('Retry-After', String(error.retryAfterSeconds));
      return render(c, 429, { next, error: 'Too many attempts. Wait a minute and try again.' });
    }
    if (name === undefined) return render(c, 401, { next, error: 'That token is not a valid admin token.' });
    setCookie(c, SESSION_COOKIE, await ctx.admin.issueSession(name, ctx.now()), {
      httpOnly: true,
      secure: isHttps(c),
      sameSite: 'Strict',
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
    return c.redirect(next, 303);
  });

  app.post('/admin/logout', async (c) => {
    // ended in the store, so a copy of the cookie stops working on every instance
    await ctx.admin.endSession(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
    return c.redirect('/', 303);
  });

  app.get('/api/v1/alerts', async (c) => {
    await requireAdmin(c, ctx.admin, ctx.now(), { cookie: true });
    const limitText = c.req.query('limit');
    if (limitText !== undefined && (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > ALERT_HISTORY_LIMIT.max)) {
      throw new BadRequestError(`limit must be an integer between 1 and ${ALERT_HISTORY_LIMIT.max}`);
    }
    // `check` is a component id (as everywhere in the API) or, for scripts, the check's name.
    const wanted = c.req.query('check');
    let check: string | undefined;
    if (wanted !== undefined) {
      check = ctx.config.checks.find((x) => componentId(x.name) === wanted || x.name === wanted)?.name;
      if (check === undefined) throw new NotFoundError('There is no check with this id.');
    }
    const history = await readAlertHistory(ctx.store, { check, limit: limitText === undefined ? undefined : Number(limitText) });
    return c.json(history, 200, NO_STORE);
  });
}
