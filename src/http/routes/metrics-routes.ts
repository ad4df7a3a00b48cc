/**
 * `GET /metrics`: Prometheus exposition of the app's own registry (see metrics.ts). Behind the
 * auth header like every route except `/healthz` and pushes; never cached.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';

export function registerMetricsRoutes(app: Hono, ctx: AppContext): void {
  app.get('/metrics', async (c) => {
    const metrics = await ctx.metrics();
    metrics.updateFromModel(await ctx.model());
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
