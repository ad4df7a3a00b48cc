/**
 * The page function: API Gateway (REST proxy, HTTP API, function URL or a non-proxy mapping
 * template) → `app.fetch(request)` → the integration's response shape. The app is the same one
 * the Node server runs (`createApp`), so pages, the JSON API and the auth-header check behave
 * identically; only the live feed is absent (a Lambda cannot hold a stream open).
 *
 * Lambda entry: `web-handler.handler`.
 * @module
 */
import { loadOnce } from '../../kernel/load-once.ts';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { UpstateConfig } from '../../config/types.ts';
import { createApp } from '../../http/create-app.ts';
import { coldStart, openLambdaRuntime, type LambdaRuntime } from './lambda-runtime.ts';
import { loadMaintenanceCalendar } from './load-maintenance-calendar.ts';
import { eventToRequest } from './event-to-request.ts';
import { responseToResult } from './response-to-result.ts';
import type { NonProxyEnvelope, ProxyResult } from './lambda-types.ts';

export interface WebHandlerDeps {
  /** Opens config and store; called once per container. */
  runtime(): Promise<LambdaRuntime>;
  now?: () => number;
  /**
   * The stack's CloudFront distribution is the only way in (it adds the auth header on every
   * origin request): answers the page marks `private` only because of that header may be cached
   * at the edge, so they go out `public` (`UPSTATE_SHARED_CACHE=true`). `no-store` stays.
   */
  sharedCache?: boolean;
}

export type WebHandler = ((event: unknown) => Promise<ProxyResult | NonProxyEnvelope | string>) & {
  /** Closes the store (tests; a Lambda container is simply frozen). */
  close(): Promise<void>;
};

/**
 * Builds the handler; the app is created on the first invocation and reused while warm, and
 * rebuilt when the runtime's periodic re-read finds rotated secrets or a changed config.
 */
export function createWebHandler(deps: WebHandlerDeps): WebHandler {
  let opened: LambdaRuntime | undefined;
  let app: Hono | undefined;
  const build = async (runtime: LambdaRuntime, config: UpstateConfig): Promise<Hono> => {
    const maintenance = await loadMaintenanceCalendar(config.maintenance, config.checks);
    const web = createApp({ config, store: runtime.store, now: deps.now, logger: runtime.logger, maintenance, defaultThemeDir: runtime.defaultThemeDir });
    // the agent API sits in front of the page, as in `upstate serve`: agents (probe-region stacks)
    // carry their bearer token, not the proxy's auth header. Its code (and the zod schemas of what
    // agents post) loads with the first agent request; a page request never waits for it.
    const agentApp = loadOnce(async () => {
      const { createLambdaAgentRoutes } = await import('./lambda-agent-routes.ts');
      const app = new Hono();
      app.route('/api/v1/agent', createLambdaAgentRoutes({ config, store: runtime.store, logger: runtime.logger, now: deps.now ?? Date.now, inMaintenance: maintenance.inMaintenance }));
      app.all('*', (c) => web.fetch(c.req.raw, c.env));
      return app;
    });
    const root = new Hono();
    root.all('/api/v1/agent', async (c) => (await agentApp()).fetch(c.req.raw, c.env));
    root.all('/api/v1/agent/*', async (c) => (await agentApp()).fetch(c.req.raw, c.env));
    root.all('*', (c) => web.fetch(c.req.raw, c.env));
    return root;
  };
  const open = coldStart<LambdaRuntime>(async () => {
    const runtime = await deps.runtime();
    opened = runtime;
    app = await build(runtime, runtime.config);
    return runtime;
  });

  const handle = async (event: unknown) => {
    const { request, shape } = eventToRequest(event);
    const runtime = await open();
    const changed = await runtime.refresh();
    if (changed) app = await build(runtime, changed);
    const response = await app!.fetch(request, { remoteAddress: sourceIpOf(event) });
    return responseToResult(deps.sharedCache ? shareable(response) : response, shape);
  };
  return Object.assign(handle, {
    async close() {
      await opened?.store.close();
    },
  });
}

/**
 * The address API Gateway saw the request come from: the peer address of the Lambda world
 * (`requestContext.identity.sourceIp` in REST events, `requestContext.http.sourceIp` in 2.0 ones).
 */
function sourceIpOf(event: unknown): string | undefined {
  const context = (event as { requestContext?: { identity?: { sourceIp?: unknown }; http?: { sourceIp?: unknown } } | null }).requestContext;
  const ip = context?.identity?.sourceIp ?? context?.http?.sourceIp;
  return typeof ip === 'string' && ip !== '' ? ip : undefined;
}

/** `Cache-Control: private, …` → `public, …` (the edge is the access boundary). */
function shareable(response: Response): Response {
  const cacheControl = response.headers.get('cache-control');
  if (!cacheControl || !/^private\b/i.test(cacheControl)) return response;
  const headers = new Headers(response.headers);
  headers.set('cache-control', cacheControl.replace(/^private\b/i, 'public'));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const bundleDir = dirname(fileURLToPath(import.meta.url));

/** The Lambda entry point, configured from the function's environment. */
export const handler: WebHandler = createWebHandler({
  runtime: () => openLambdaRuntime({ env: process.env, bundleDir }),
  sharedCache: process.env.UPSTATE_SHARED_CACHE === 'true',
});
