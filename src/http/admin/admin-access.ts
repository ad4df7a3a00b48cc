/**
 * Who is asking, for admin routes: the name of a valid bearer token, or of a valid session
 * cookie where cookies are accepted. Writes accept only the bearer token, so a forged
 * cross-site form can never act with an admin's cookie.
 * @module
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { AdminRequiredError, TooManyGuessesError } from '../http-errors.ts';
import { bearerToken, SESSION_COOKIE, type AdminAuth } from './admin-auth.ts';

/**
 * The admin name behind this request, or undefined for anonymous visitors. A client address that
 * sent too many wrong bearer tokens gets 429 before its token is even compared.
 */
export async function adminOf(c: Context, auth: AdminAuth, now: number, options: { cookie: boolean }): Promise<string | undefined> {
  if (!auth.enabled) return undefined;
  const header = c.req.header('authorization');
  if (header !== undefined) return checkedToken(c, auth, now, bearerToken(header));
  return options.cookie ? auth.verifySession(getCookie(c, SESSION_COOKIE), now) : undefined;
}

/** Like `adminOf`, but throws 401 for anonymous requests. */
export async function requireAdmin(c: Context, auth: AdminAuth, now: number, options: { cookie: boolean }): Promise<string> {
  const name = await adminOf(c, auth, now, options);
  if (name === undefined) throw new AdminRequiredError();
  return name;
}

/**
 * The admin name of `token`, counting a wrong one against the client's guess budget; throws
 * `TooManyGuessesError` while that budget is spent (the token is then not compared at all).
 */
export function checkedToken(c: Context, auth: AdminAuth, now: number, token: string | undefined): string | undefined {
  const client = auth.clientOf(c);
  const wait = auth.guesses.retryAfterMs(client, now);
  if (wait > 0) throw new TooManyGuessesError(wait);
  const name = auth.verifyToken(token);
  if (name === undefined) auth.guesses.fail(client, now);
  return name;
}
