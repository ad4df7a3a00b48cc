/**
 * `GET /metrics`: Prometheus exposition of the app's own registry (see metrics.ts). Behind the
 * auth header like every route except `/healthz` and pushes; never cached. Without per-check
 * series (the default above 1,000 checks) the status counts come from states and incidents alone.
 * With them the gauges come from `ctx.metricsModel()`: with a result bus, a scrape rebuilds the
 * status model only after a status changed or a minute passed, not after every result batch.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';

export function registerMetricsRoutes(app: Hono, ctx: AppContext): void {
  app.get('/metrics', async (c) => {
    const metrics = await ctx.metrics();
    // without per-check series only the status counts are shown: no model build (at 100,000
    // checks one blocked the event loop for seconds per scrape, and every check ran that late)
    if (metrics.perCheckSeries) metrics.updateFromModel(await ctx.metricsModel());
    else metrics.updateStatusCounts(await ctx.statusCounts());
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
