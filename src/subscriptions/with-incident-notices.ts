/**
 * Wraps a store so that every incident saved through it is also reported to subscriptions, with
 * the version it replaced. The admin API and the admin UI both save through the app's store, so
 * neither needs to know subscriptions exist. The report runs after the save and never fails it.
 * @module
 */
import type { Incident } from '../domain/incident.ts';
import type { IncidentsPort } from '../storage/ports/incidents-port.ts';

/** The store with `saveIncident` reporting `(previous, next)` to `onSaved`. */
export function withIncidentNotices<S extends IncidentsPort>(
  store: S,
  onSaved: (previous: Incident | undefined, next: Incident) => Promise<void>,
  onError: (error: unknown) => void,
): S {
  // `Object.create`, not a spread: a store may be a view over another (a page's scoped store,
  // multi-page-app.ts) whose methods are inherited, and a spread copies own properties only
  const wrapped = Object.create(store) as S;
  wrapped.saveIncident = async (incident: Incident) => {
    const previous = await store.getIncident(incident.id);
    await store.saveIncident(incident);
    onSaved(previous, incident).catch(onError);
  };
  return wrapped;
}
