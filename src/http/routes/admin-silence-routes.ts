/**
 * Silences in the admin UI (`/admin/silences`): list the running ones, add one (matchers, a
 * duration, a comment) and expire one. The same input schema and checks as `POST /api/v1/silences`
 * and `upstate silence add` (alerting/silence-input.ts), and the same store calls, so a silence
 * made here mutes alerts exactly like one made elsewhere. The sign-in, form-token and same-site
 * checks are admin-ui-routes.ts's, handed in.
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AppContext } from '../app-context.ts';
import { SEVERITIES } from '../../alerting/rules/alert-rule.ts';
import type { FormBody } from '../admin/incident-form.ts';

/** What admin-ui-routes.ts lends: a signed-in GET, a checked POST and the admin page renderer. */
export interface AdminPageKit<S> {
  page(handler: (c: Context, session: S) => Promise<Response>): (c: Context) => Promise<Response>;
  action(back: (c: Context) => string, handler: (c: Context, session: S, form: FormBody) => Promise<Response>): (c: Context) => Promise<Response>;
  render(c: Context, name: string, session: S, values: Record<string, unknown>, status?: 200 | 400): Response | Promise<Response>;
  adminOf(session: S): string;
  /** The admin forms' body-size limit. */
  limit: MiddlewareHandler;
}

type Fields = Record<'check' | 'group' | 'rule' | 'severity' | 'for' | 'comment', string>;
const EMPTY: Fields = { check: '', group: '', rule: '', severity: '', for: '2h', comment: '' };

const field = (form: FormBody, name: keyof Fields): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value)?.toString().trim() ?? '';
};

/** The silence schema (zod), loaded by the first silences page: serving status pages never loads it. */
const inputs = () => import('../../alerting/silence-input.ts');

export function registerAdminSilenceRoutes<S>(app: Hono, ctx: AppContext, kit: AdminPageKit<S>): void {
  // the form's choices, built per render: held for the app's life they were a list of every check name
  const options = async () => ({
    checks: ctx.config.checks.map((c) => c.name),
    groups: [...ctx.known.groups],
    rules: (await inputs()).SILENCE_RULES,
    severities: SEVERITIES,
  });

  const show = async (c: Context, session: S, values: Fields, errors: Record<string, string> = {}, status: 200 | 400 = 200) =>
    kit.render(c, 'admin-silences.njk', session, { ...(await options()), values, errors, silences: await ctx.store.listSilences({ activeAt: ctx.now() }) }, status);

  app.get('/admin/silences', kit.page(async (c, session) => show(c, session, EMPTY)));

  app.post(
    '/admin/silences',
    kit.limit,
    kit.action(
      () => '/admin/silences',
      async (c, session, form) => {
        const values = Object.fromEntries(Object.keys(EMPTY).map((name) => [name, field(form, name as keyof Fields)])) as Fields;
        const matchers = Object.fromEntries((['check', 'group', 'rule', 'severity'] as const).filter((m) => values[m]).map((m) => [m, values[m]]));
        const { buildSilence, silenceInputProblem, silenceInputSchema } = await inputs();
        const parsed = silenceInputSchema.safeParse({ matchers, for: values.for, comment: values.comment });
        const errors: Record<string, string> = {};
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const name = issue.path[0] === 'matchers' ? (issue.path[1]?.toString() ?? 'check') : (issue.path[0]?.toString() ?? 'comment');
            errors[name] ??= issue.message;
          }
          return show(c, session, values, errors, 400);
        }
        const problem = silenceInputProblem(parsed.data, ctx.known, ctx.now());
        // the end time is computed from the form's duration, so an end problem belongs to `for`
        if (problem) return show(c, session, values, { [problem.path === 'endsAt' ? 'for' : problem.path.slice('matchers.'.length)]: problem.message }, 400);
        await ctx.store.saveSilence(buildSilence(parsed.data, ctx.now(), kit.adminOf(session)));
        return c.redirect('/admin/silences?done=silenced', 303);
      },
    ),
  );

  app.post(
    '/admin/silences/:id/expire',
    kit.limit,
    kit.action(
      () => '/admin/silences',
      async (c) => {
        await ctx.store.expireSilence(c.req.param('id') ?? '', ctx.now());
        return c.redirect('/admin/silences?done=expired', 303);
      },
    ),
  );
}
