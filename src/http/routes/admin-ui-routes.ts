/**
 * The admin UI: server-rendered pages for signed-in admins to open, update and resolve incidents
 * and to schedule, edit and cancel maintenance (`/admin`, `/admin/incidents/…`,
 * `/admin/maintenance/new`). Plain HTML forms, so it works without JavaScript and on a phone.
 *
 * Every write goes through the same functions and store calls as the JSON API
 * (incident-api-routes.ts): `createIncident`, `applyIncidentPatch`, `saveIncident`,
 * `deleteIncident`, then `invalidate()`. Maintenance made here is therefore the same stored
 * maintenance as API maintenance, and silences alerts the same way.
 *
 * Only the session cookie signs a person in here; every POST must carry the session's form token
 * and must not come from another site (see admin/csrf.ts), or it is refused with 403.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { limitBody } from '../request-body.ts';
import type { AppContext } from '../app-context.ts';
import type { Incident } from '../../domain/incident.ts';
import { SESSION_COOKIE } from '../admin/admin-auth.ts';
import { CSRF_FIELD, crossSiteReason, csrfToken, csrfTokenMatches } from '../admin/csrf.ts';
import { readIncidentPatch, readNewIncident, valuesOf, type FieldErrors, type FormBody, type FormValues } from '../admin/incident-form.ts';
import { applyIncidentPatch, createIncident, IMPACTS, statusesFor } from '../../status/incident-edits.ts';
import { sortIncidents } from '../../status/incident-lists.ts';
import { NotFoundError } from '../http-errors.ts';
import { registerAdminSilenceRoutes } from './admin-silence-routes.ts';
import { checkPickerGroups } from '../check-picker-groups.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };
const MAX_BODY_BYTES = 64 * 1024;
const LIST_LIMIT = 500;
/** Statuses that end an incident or maintenance (its forms then offer no "resolve"). */
const CLOSED = new Set(['resolved', 'postmortem', 'completed']);
/** Messages shown after a redirect, by the `done` query value. */
const DONE: Record<string, string> = {
  created: 'Incident opened. It is on the status page now.',
  scheduled: 'Maintenance scheduled.',
  updated: 'Saved. The status page shows the change now.',
  resolved: 'Incident resolved.',
  cancelled: 'Maintenance cancelled and removed.',
  silenced: 'Silence added. Matching alerts send nothing until it ends.',
  expired: 'Silence expired. Matching alerts page again.',
};

const newId = () => `inc_${randomBytes(8).toString('hex')}`;

interface Session {
  /** The cookie value: the form token is derived from it. */
  id: string;
  admin: string;
}

export function registerAdminUiRoutes(app: Hono, ctx: AppContext): void {
  const limit = limitBody(MAX_BODY_BYTES);

  const sessionOf = async (c: Context): Promise<Session | undefined> => {
    const id = getCookie(c, SESSION_COOKIE);
    const admin = id === undefined ? undefined : await ctx.admin.verifySession(id, ctx.now());
    return id !== undefined && admin !== undefined ? { id, admin } : undefined;
  };
  const toSignIn = (c: Context, next: string) => c.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);

  const render = (c: Context, name: string, session: Session, values: Record<string, unknown>, status: 200 | 400 = 200) =>
    c.html(
      ctx.theme.render(name, {
        ...ctx.templateBase(),
        admin: session.admin,
        csrfField: CSRF_FIELD,
        csrf: csrfToken(session.id),
        done: DONE[c.req.query('done') ?? ''],
        ...values,
      }),
      status,
      NO_STORE,
    );

  const forbidden = (c: Context, why: string) => {
    ctx.logger?.warn({ path: c.req.path, why }, 'admin form refused');
    const message = 'This form was not sent from a page of this site, or it is older than your sign-in. Reload the page and try again.';
    return c.html(ctx.theme.render('error.njk', { ...ctx.templateBase(), status: 403, title: 'Forbidden', message }), 403, NO_STORE);
  };

  /** GET: a signed-in admin or a redirect to the sign-in page that comes back here. */
  const page = (handler: (c: Context, session: Session) => Promise<Response>) => async (c: Context) => {
    const session = await sessionOf(c);
    return session ? handler(c, session) : toSignIn(c, c.req.path);
  };
  /** POST: signed in, same site, right form token; then the handler gets the parsed form. */
  const action = (back: (c: Context) => string, handler: (c: Context, session: Session, form: FormBody) => Promise<Response>) => async (c: Context) => {
    const session = await sessionOf(c);
    if (!session) return toSignIn(c, back(c));
    const crossSite = crossSiteReason(c, ctx.config.page.publicUrl);
    if (crossSite !== undefined) return forbidden(c, crossSite);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    if (!csrfTokenMatches(session.id, form[CSRF_FIELD])) return forbidden(c, form[CSRF_FIELD] === undefined ? 'no form token' : 'wrong form token');
    return handler(c, session, form);
  };

  const load = async (id: string): Promise<Incident> => {
    const incident = await ctx.store.getIncident(id);
    if (!incident) throw new NotFoundError('There is no incident or maintenance with this id.');
    return incident;
  };
  const formPage = (kind: Incident['kind'], values: Partial<FormValues>, errors: FieldErrors = {}) => ({
    kind,
    values: { title: '', status: '', impact: '', checks: [], body: '', scheduledFor: '', scheduledUntil: '', ...values },
    errors,
    statuses: statusesFor(kind),
    impacts: IMPACTS.filter((i) => i !== 'maintenance'),
    // the affected-checks picker, grouped as on the page; built per form (linear), not held for the app's life
    checkGroups: checkPickerGroups(ctx.config.checks),
  });
  const editPage = (incident: Incident, values: FormValues, errors: FieldErrors = {}) => ({
    ...formPage(incident.kind, values, errors),
    incident,
    readOnly: incident.source === 'config',
    closed: CLOSED.has(incident.status),
  });

  app.get(
    '/admin',
    page(async (c, session) => {
      const now = ctx.now();
      const stored = await ctx.store.listIncidents({ limit: LIST_LIMIT });
      const lists = sortIncidents(stored, now);
      // windows of the config's maintenance calendar are not stored: shown read-only from the model
      const storedIds = new Set(stored.map((i) => i.id));
      const model = await ctx.model();
      const fromConfig = [...model.incidents.maintenanceActive, ...model.incidents.maintenanceUpcoming].filter((i) => !storedIds.has(i.id));
      return render(c, 'admin-dashboard.njk', session, {
        open: lists.active,
        maintenance: [...lists.maintenanceActive, ...lists.maintenanceUpcoming, ...fromConfig],
        activeIds: [...lists.maintenanceActive, ...model.incidents.maintenanceActive].map((i) => i.id),
        recent: lists.recent,
      });
    }),
  );

  for (const kind of ['incident', 'maintenance'] as const) {
    const base = kind === 'incident' ? '/admin/incidents' : '/admin/maintenance';
    app.get(
      `${base}/new`,
      page(async (c, session) => render(c, 'admin-new.njk', session, formPage(kind, { status: statusesFor(kind)[0], impact: kind === 'incident' ? 'minor' : '' }))),
    );
    app.post(
      base,
      limit,
      action(
        () => `${base}/new`,
        async (c, session, form) => {
          const read = await readNewIncident(form, kind, ctx.known.checks);
          if (!read.ok) return render(c, 'admin-new.njk', session, formPage(kind, read.values, read.errors), 400);
          const incident = createIncident(read.value, ctx.now(), newId);
          await ctx.store.saveIncident(incident);
          ctx.invalidate();
          return c.redirect(`/admin/incidents/${incident.id}?done=${kind === 'incident' ? 'created' : 'scheduled'}`, 303);
        },
      ),
    );
  }

  app.get(
    '/admin/incidents/:id',
    page(async (c, session) => {
      const incident = await load(c.req.param('id') ?? '');
      return render(c, 'admin-edit.njk', session, editPage(incident, valuesOf(incident)));
    }),
  );

  const back = (c: Context) => `/admin/incidents/${encodeURIComponent(c.req.param('id') ?? '')}`;
  /** The edit page again, with what was sent and what is wrong with it (400). */
  const refuse = (c: Context, session: Session, incident: Incident, values: FormValues, errors: FieldErrors) =>
    render(c, 'admin-edit.njk', session, editPage(incident, values, errors), 400);
  /**
   * A form about the incident `:id`: the handler gets it loaded, unless it is declared in the config
   * file (the UI does not change those: the edit page answers with why).
   */
  const editAction = (handler: (c: Context, session: Session, form: FormBody, incident: Incident) => Promise<Response>) =>
    action(back, async (c, session, form) => {
      const incident = await load(c.req.param('id') ?? '');
      if (incident.source === 'config') return refuse(c, session, incident, valuesOf(incident), { form: 'This is declared in the config file; change it there.' });
      return handler(c, session, form, incident);
    });

  app.post(
    '/admin/incidents/:id',
    limit,
    editAction(async (c, session, form, incident) => {
      const read = await readIncidentPatch(form, incident, ctx.known.checks);
      if (!read.ok) return refuse(c, session, incident, read.values, read.errors);
      await ctx.store.saveIncident(applyIncidentPatch(incident, read.value, ctx.now(), newId));
      ctx.invalidate();
      return c.redirect(`${back(c)}?done=updated`, 303);
    }),
  );

  app.post(
    '/admin/incidents/:id/resolve',
    limit,
    editAction(async (c, session, form, incident) => {
      // the update form's reader, so the message is validated exactly as there
      const closing = incident.kind === 'maintenance' ? 'completed' : 'resolved';
      const read = await readIncidentPatch({ ...valuesOf(incident), body: form.body ?? '', status: closing }, incident, ctx.known.checks);
      if (!read.ok) return refuse(c, session, incident, valuesOf(incident), { resolve: Object.values(read.errors).join('; ') });
      await ctx.store.saveIncident(applyIncidentPatch(incident, read.value, ctx.now(), newId));
      ctx.invalidate();
      return c.redirect(`${back(c)}?done=${incident.kind === 'maintenance' ? 'updated' : 'resolved'}`, 303);
    }),
  );

  app.post(
    '/admin/incidents/:id/cancel',
    limit,
    editAction(async (c, session, form, incident) => {
      if (incident.kind !== 'maintenance') throw new NotFoundError('Only maintenance can be cancelled; resolve an incident instead.');
      if (form.confirm !== 'yes') return refuse(c, session, incident, valuesOf(incident), { confirm: 'tick the box to confirm' });
      // as DELETE /api/v1/incidents/:id does: a cancelled window leaves no trace on the page
      await ctx.store.deleteIncident(incident.id);
      ctx.invalidate();
      return c.redirect('/admin?done=cancelled', 303);
    }),
  );

  registerAdminSilenceRoutes(app, ctx, { page, action, render, limit, adminOf: (session) => session.admin });
}
