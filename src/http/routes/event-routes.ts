/**
 * `GET /events`: Server-Sent Events for open pages. Each result batch published on the bus
 * becomes one small `results` event: for the batch's checks, what the page shows of them (see
 * live-payload.ts), built once per batch for every open stream — no names and no probe details,
 * so the stream carries nothing the page itself does not. Without a bus (e.g. on Lambda) it
 * answers 204, which tells EventSource not to reconnect.
 * @module
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppContext } from '../app-context.ts';
import type { ResultEvent } from '../../kernel/result-bus.ts';
import { livePayload, type LivePayload } from '../live-payload.ts';

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

export function registerEventRoutes(app: Hono, ctx: AppContext): void {
  // One payload per batch, shared by every open stream; the model is read once, after the batch.
  const payloads = new WeakMap<ResultEvent, Promise<LivePayload | undefined>>();
  const payloadOf = (event: ResultEvent) => {
    let payload = payloads.get(event);
    if (!payload) {
      const ours = event.states.some((s) => ctx.known.checks.has(s.check));
      payload = ours ? ctx.model().then((model) => livePayload(event, model)) : Promise.resolve(undefined);
      payloads.set(event, payload);
    }
    return payload;
  };
  app.get('/events', (c) => {
    const bus = ctx.bus;
    if (!bus) return c.body(null, 204);
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let seq = 0;
      // Events leave in batch order, and the bus (the engine's publish) never waits on a page.
      let queue = Promise.resolve();
      const unsubscribe = bus.subscribe((event) => {
        const payload = payloadOf(event);
        queue = queue
          .then(async () => {
            const data = await payload;
            if (!data || stream.aborted || stream.closed) return;
            await stream.writeSSE({ event: 'results', id: String(++seq), data: JSON.stringify(data) });
          })
          .catch((error: unknown) => ctx.logger?.warn({ err: error }, 'live event not sent'));
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
