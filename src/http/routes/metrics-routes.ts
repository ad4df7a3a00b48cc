/**
 * `GET /metrics`: Prometheus exposition of the app's own registry (see metrics.ts). Behind the
 * auth header like every route except `/healthz` and pushes; never cached. The gauges come from
 * `ctx.metricsModel()`: with a result bus, a scrape rebuilds the status model only after a status
 * changed or a minute passed, not after every result batch.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';

export function registerMetricsRoutes(app: Hono, ctx: AppContext): void {
  app.get('/metrics', async (c) => {
    const metrics = await ctx.metrics();
    metrics.updateFromModel(await ctx.metricsModel());
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
