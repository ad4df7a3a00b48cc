/**
 * `GET /events`: Server-Sent Events for open pages. Each result batch published on the bus
 * becomes one small `results` event (component ids, statuses, latency, time) — no names, so the
 * stream carries nothing the page itself does not. Without a bus (e.g. on Lambda) it answers
 * 204, which tells EventSource not to reconnect.
 * @module
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppContext } from '../app-context.ts';
import type { ResultEvent } from '../../kernel/result-bus.ts';
import { componentId } from '../../status/component-id.ts';

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/** The event payload for one published batch (configured checks only). */
function liveEventOf(event: ResultEvent, known: ReadonlySet<string>) {
  const latest = new Map<string, { latencyMs: number; at: number }>();
  for (const r of event.results) latest.set(r.check, { latencyMs: r.latencyMs, at: r.at });
  return {
    checks: event.states
      .filter((s) => known.has(s.check))
      .map((s) => ({
        id: componentId(s.check),
        status: s.status,
        latencyMs: latest.get(s.check)?.latencyMs ?? s.lastResult?.latencyMs,
        at: latest.get(s.check)?.at ?? s.lastResult?.at,
      })),
  };
}

export function registerEventRoutes(app: Hono, ctx: AppContext): void {
  const known = new Set(ctx.config.checks.map((c) => c.name));
  app.get('/events', (c) => {
    const bus = ctx.bus;
    if (!bus) return c.body(null, 204);
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let seq = 0;
      const unsubscribe = bus.subscribe(async (event) => {
        const payload = liveEventOf(event, known);
        if (payload.checks.length === 0 || stream.aborted || stream.closed) return;
        await stream.writeSSE({ event: 'results', id: String(++seq), data: JSON.stringify(payload) });
      });
      await stream.writeSSE({ event: 'hello', data: '{}', retry: 5000 });
      await new Promise<void>((resolve) => {
        const done = () => {
          clearInterval(timer);
          resolve();
        };
        const timer = setInterval(() => {
          stream.write(': keepalive\n\n').catch(done);
        }, KEEPALIVE_MS);
        stream.onAbort(done);
      });
      unsubscribe();
    });
  });
}
