/**
 * The one place errors become responses: typed `HttpError`s keep their status and message,
 * anything else is a 500 with a generic message (details go to the log only). HTML routes get
 * the theme's error page, JSON routes (`/api/…`, `*.json`, `/events`) a JSON error body. Neither
 * contains status data, so a 401 reveals nothing about the checks.
 * @module
 */
import type { Context } from 'hono';
import type { AppContext } from './app-context.ts';
import { HttpError, TooManyGuessesError } from './http-errors.ts';

/** True for routes whose clients expect JSON rather than a page. */
function wantsJson(path: string): boolean {
  return path.startsWith('/api/') || path.endsWith('.json') || path === '/events';
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Access denied',
  404: 'Page not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

/** Renders an error as a response; falls back to plain text if the error template itself fails. */
export function errorResponse(c: Context, ctx: Pick<AppContext, 'theme' | 'templateBase' | 'logger'>, error: unknown): Response {
  const known = error instanceof HttpError ? error : undefined;
  const status = known?.status ?? 500;
  const code = known?.code ?? 'internal_error';
  const message = known?.message ?? 'The status page could not be rendered. Please try again in a minute.';
  if (!known) ctx.logger?.error({ err: error, path: c.req.path }, 'request failed');
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (code === 'admin_required') headers['WWW-Authenticate'] = 'Bearer realm="upstate-admin"';
  if (known instanceof TooManyGuessesError) headers['Retry-After'] = String(known.retryAfterSeconds);
  if (wantsJson(c.req.path)) return c.json({ error: { status, code, message } }, status, headers);
  try {
    const body = ctx.theme.render('error.njk', { ...ctx.templateBase(), status, title: TITLES[status] ?? 'Error', message });
    return c.html(body, status, headers);
  } catch (renderError) {
    ctx.logger?.error({ err: renderError }, 'error template failed');
    return c.text(`${status} ${TITLES[status] ?? 'Error'}\n${message}`, status, headers);
  }
}
