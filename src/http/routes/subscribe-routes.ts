/**
 * The public subscription pages: `GET /subscribe` (feeds, and the email form when email
 * subscriptions are configured), `POST /subscribe` (sign-up: a confirmation email follows),
 * `/subscribe/confirm` and `/subscribe/unsubscribe`.
 *
 * A link opened from an email only shows a button: mail scanners fetch links, and a GET must
 * neither confirm a sign-up someone else made nor end a subscription. The one exception is the
 * RFC 8058 one-click POST to the unsubscribe URL, which mail clients send without a form token:
 * the token in the URL is the credential. Nothing here shows a subscriber's address.
 * @module
 */
import type { Context, Hono } from 'hono';
import { limitBody } from '../request-body.ts';
import type { AppContext } from '../app-context.ts';
import { checkPickerGroups } from '../check-picker-groups.ts';

const HTML = 'text/html; charset=utf-8';
const NO_STORE = { 'Cache-Control': 'no-store' };
const MAX_BODY_BYTES = 16 * 1024;

type FormValue = string | File | (string | File)[] | undefined;
const strings = (value: FormValue): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
const text = (value: FormValue) => strings(value)[0] ?? '';

export function registerSubscribeRoutes(app: Hono, ctx: AppContext): void {
  const limit = limitBody(MAX_BODY_BYTES);
  // the component picker, grouped as on the page
  const groups = checkPickerGroups(ctx.config.checks);

  const render = (c: Context, template: string, values: Record<string, unknown>, status: 200 | 400 | 404 | 429 = 200, headers: Record<string, string> = {}) =>
    c.body(ctx.theme.render(template, { ...ctx.templateBase(), ...values }), status, { 'Content-Type': HTML, ...NO_STORE, ...headers });
  const form = (c: Context, values: Record<string, unknown> = {}, status: 200 | 400 | 429 = 200, headers: Record<string, string> = {}) =>
    render(c, 'subscribe.njk', { emailEnabled: ctx.subscriptions?.emailEnabled === true, groups, chosen: { checks: [], groups: [] }, ...values }, status, headers);
  const message = (c: Context, values: { heading: string; text: string; action?: string; button?: string; id?: string; token?: string }, status: 200 | 404 = 200) =>
    render(c, 'subscribe-message.njk', values, status);
  const invalidLink = (c: Context) =>
    message(c, { heading: 'This link is not valid', text: 'It may have expired or been used already. You can subscribe again from the subscribe page.' }, 404);

  app.get('/subscribe', (c) => form(c));

  app.post('/subscribe', limit, async (c) => {
    const subscriptions = ctx.subscriptions;
    if (!subscriptions?.emailEnabled) return form(c, { error: 'Email subscriptions are not enabled on this page.' }, 400);
    const body = (await c.req.parseBody({ all: true })) as Record<string, FormValue>;
    const input = { email: text(body.email), checks: strings(body['check[]']), groups: strings(body['group[]']) };
    const outcome = await subscriptions.signUp(input, ctx.clientAddress(c));
    if (outcome.ok) {
      return message(c, {
        heading: 'Check your inbox',
        text: 'We sent a confirmation link to the address you entered. Nothing else is sent until you follow it.',
      });
    }
    const chosen = { checks: input.checks, groups: input.groups };
    if (outcome.refusal.reason === 'throttled') {
      const seconds = Math.ceil(outcome.refusal.retryAfterMs / 1000);
      return form(c, { email: input.email, chosen, error: `Too many sign-ups. Try again in ${Math.ceil(seconds / 60)} minutes.` }, 429, { 'Retry-After': String(seconds) });
    }
    return form(c, { email: input.email, chosen, error: outcome.refusal.message, errorField: outcome.refusal.field }, 400);
  });

  app.get('/subscribe/confirm', async (c) => {
    const { id = '', token = '' } = c.req.query();
    if (!ctx.subscriptions || !(await ctx.subscriptions.confirmable(id, token))) return invalidLink(c);
    return message(c, { heading: 'Confirm your subscription', text: 'Press the button to start receiving emails.', action: '/subscribe/confirm', button: 'Confirm subscription', id, token });
  });

  app.post('/subscribe/confirm', limit, async (c) => {
    const body = (await c.req.parseBody()) as Record<string, FormValue>;
    if (!ctx.subscriptions || !(await ctx.subscriptions.confirm(text(body.id), text(body.token)))) return invalidLink(c);
    return message(c, { heading: 'You are subscribed', text: 'Every email has a link to unsubscribe in one click.' });
  });

  app.get('/subscribe/unsubscribe', async (c) => {
    const { id = '', token = '' } = c.req.query();
    if (!ctx.subscriptions || !(await ctx.subscriptions.subscribed(id, token))) return invalidLink(c);
    return message(c, { heading: 'Unsubscribe', text: 'Press the button to stop all emails from this page.', action: '/subscribe/unsubscribe', button: 'Unsubscribe', id, token });
  });

  // the form's button posts id and token in the body; a mail client's one-click POST has them in the URL
  app.post('/subscribe/unsubscribe', limit, async (c) => {
    const body = (await c.req.parseBody()) as Record<string, FormValue>;
    const id = c.req.query('id') ?? text(body.id);
    const token = c.req.query('token') ?? text(body.token);
    if (!ctx.subscriptions || !(await ctx.subscriptions.unsubscribe(id, token))) return invalidLink(c);
    return message(c, { heading: 'You are unsubscribed', text: 'No more emails will be sent to this address.' });
  });
}
