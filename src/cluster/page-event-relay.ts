/**
 * Live pages across instances. Each instance publishes its own results on its result bus (store
 * writer, alert evaluator) and forwards them to its *page bus* (SSE streams, page cache). Results
 * written by the other instances arrive here as LISTEN/NOTIFY notices naming the checks that
 * changed; the relay re-reads those checks' states and publishes them on the page bus only — so
 * they are never written again and never evaluated for alerts twice.
 *
 * Notices are coalesced for `coalesceMs`, so a busy cluster costs one state read per window
 * rather than one per notice, and that read asks for the named checks only.
 * @module
 */
import type { Store } from '../storage/store.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import { listenForResults, type ResultsNotice } from '../storage/postgres/result-notifications.ts';

export interface PageEventRelayDeps {
  /** PostgreSQL URL to LISTEN on (the primary: NOTIFY is not replicated). */
  url: string;
  /** This instance's id: its own notices are skipped (its bus already carried them). */
  origin: string;
  store: Pick<Store, 'readStates'>;
  pageBus: ResultBus;
  coalesceMs?: number;
  onError?(error: unknown): void;
}

export interface PageEventRelay {
  /** Resolves once LISTEN is active. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function startPageEventRelay(deps: PageEventRelayDeps): PageEventRelay {
  const coalesceMs = deps.coalesceMs ?? 100;
  let pending = new Set<string>();
  let everything = false;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = async (): Promise<void> => {
    timer = undefined;
    const names = pending;
    const all = everything;
    pending = new Set();
    everything = false;
    try {
      // only the named checks (all of them after a reconnect): the read follows what changed, not the table
      const states = (await deps.store.readStates(all ? undefined : [...names])).filter((state) => all || names.has(state.check));
      if (!states.length || closed) return;
      const results = states.flatMap((state) => (state.lastResult ? [state.lastResult] : []));
      await deps.pageBus.publish({ results, states, relayed: true });
    } catch (error) {
      deps.onError?.(error);
    }
  };

  const onNotice = (notice: ResultsNotice): void => {
    if (notice.origin === deps.origin || closed) return;
    if (notice.all) everything = true;
    for (const check of notice.checks) pending.add(check);
    timer ??= setTimeout(() => {
      flushing = flushing.then(flush);
    }, coalesceMs);
  };

  const listener = listenForResults(deps.url, onNotice, { onError: (error) => deps.onError?.(error) });
  return {
    ready: listener.ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await listener.close();
      await flushing;
    },
  };
}
