/**
 * The web app: status page, check and incident pages, JSON and admin APIs, heartbeat pushes,
 * metrics, live events and health check, as one
 * runtime-agnostic Hono app. The Node server and the Lambda handler serve this same app; nothing
 * here listens on a port or reads the environment.
 * @module
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { WebConfig } from './page-config.ts';
import type { EmbeddedStore } from '../storage/store.ts';
import type { ResultBus } from '../kernel/result-bus.ts';
import type { MaintenanceCalendar } from '../maintenance/create-maintenance-calendar.ts';
import { createKnownNames } from './known-names.ts';
import { loadOnce } from '../kernel/load-once.ts';
import { createModelMemo, METRICS_MODEL_MAX_AGE_MS, type AppContext, type AppLogger } from './app-context.ts';
import { authHeader } from './auth-header.ts';
import { errorResponse } from './error-handler.ts';
import { NotFoundError } from './http-errors.ts';
import { createResponseCache } from './response-cache.ts';
import { createLiveInvalidation } from './live-invalidation.ts';
import { createLiveStatusFacts } from '../status/live-status-facts.ts';
import { createTheme, overrideThemeDir } from './theme.ts';
import { registerPageRoutes } from './routes/page-routes.ts';
import { registerApiRoutes } from './routes/api-routes.ts';
import { registerEventRoutes } from './routes/event-routes.ts';
import { registerStatuspageRoutes, statuspageCors } from './routes/statuspage-routes.ts';
import { registerBadgeRoutes } from './routes/badge-routes.ts';
import { registerFeedRoutes } from './routes/feed-routes.ts';
import { registerPushRoutes } from './routes/push-routes.ts';
import { registerIncidentApiRoutes } from './routes/incident-api-routes.ts';
import { registerIncidentPageRoutes } from './routes/incident-page-routes.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerAdminUiRoutes } from './routes/admin-ui-routes.ts';
import { registerSilenceRoutes } from './routes/silence-routes.ts';
import { registerAlertAckRoutes } from './routes/alert-ack-routes.ts';
import { registerAlertAckLinkRoutes } from './routes/alert-ack-link-routes.ts';
import { registerMetricsRoutes } from './routes/metrics-routes.ts';
import { registerAssetRoutes } from './routes/asset-routes.ts';
import { securityHeaders } from './security-headers.ts';
import { createAdminAuth } from './admin/admin-auth.ts';
import type { AppMetrics } from './metrics.ts';
import { createClientAddress } from './client-address.ts';
import type { PushRateLimits } from '../probes/heartbeat/push.ts';
import { registerSubscribeRoutes } from './routes/subscribe-routes.ts';
import { createSubscriptions } from '../subscriptions/create-subscriptions.ts';
import { withIncidentNotices } from '../subscriptions/with-incident-notices.ts';
import { createMaintenanceWatch, MAINTENANCE_TICK_MS, type MaintenanceWatch } from '../subscriptions/maintenance-watch.ts';
import { createMultiPageApp } from './multi-page-app.ts';

export interface AppDeps {
  config: WebConfig;
  store: EmbeddedStore;
  /** Live results: drives `/events` and cache invalidation. Absent on Lambda. */
  bus?: ResultBus;
  /** Clock (epoch ms); tests pass a fixed one. */
  now?: () => number;
  logger?: AppLogger;
  /** Configured maintenance windows: checks inside one show as maintenance, upcoming ones are announced. */
  maintenance?: Pick<MaintenanceCalendar, 'activeFor' | 'upcoming'>;
  /** Where the default theme lives, when it cannot be found next to the code (bundled builds). */
  defaultThemeDir?: string;
  /**
   * Prometheus metrics served at `/metrics`. Create them with `createMetrics()` and hand the same
   * object to the scheduler so it can call `observeSchedulerLag(ms)`; a private one is made when absent.
   */
  metrics?: AppMetrics;
  /**
   * Whether results published on `bus` feed the result counters and latency histograms (default
   * true). In cluster mode the page bus also relays other instances' results; pass false there and
   * feed `metrics.observeResults` from the local result bus, so no result is counted twice.
   */
  countBusResults?: boolean;
  /** Heartbeat push rate limits (defaults in probes/heartbeat/push.ts). */
  pushRateLimit?: PushRateLimits;
  /**
   * Extra fields of the `/healthz` JSON (e.g. the outcome of the last config reload). The status
   * stays 200 whatever they say: the process is alive.
   */
  health?: () => Record<string, unknown>;
  /**
   * Aborted when this app is replaced (a config reload builds a new one): it stops listening on
   * `bus`. Open `/events` streams keep their own subscriptions and stay open.
   */
  signal?: AbortSignal;
  /** Called as each cached output starts rendering, with its cache key (tests and the page benchmark count renders). */
  onRender?: (key: string) => void;
  /**
   * The process's maintenance watch, which the page apps of `pages:` share (one read of incidents
   * and calendar per tick, not one per page); `createApp` makes it when absent.
   */
  maintenanceWatch?: Pick<MaintenanceWatch, 'join'>;
}

/** The watch that announces windows opening or closing by time, ticking once some page joins it. */
function processMaintenanceWatch(deps: AppDeps): Pick<MaintenanceWatch, 'join'> {
  const onError = (error: unknown) => deps.logger?.warn({ err: error }, 'maintenance notices not sent');
  return createMaintenanceWatch({ store: deps.store, calendar: deps.maintenance, now: deps.now ?? Date.now, schedule: { everyMs: MAINTENANCE_TICK_MS, signal: deps.signal, onError } });
}

/** Builds the app. Templates are located (and fail) here, at start-up, not on the first request. */
export function createApp(deps: AppDeps): Hono {
  // `pages:` (or a default page with a subset of the checks): one app per page behind a front app
  const { page: main, pages } = deps.config;
  if (pages?.length || main.groups || main.checks) return createMultiPageApp({ ...deps, maintenanceWatch: deps.maintenanceWatch ?? processMaintenanceWatch(deps) }, createApp);
  const { config, bus, logger } = deps;
  const now = deps.now ?? Date.now;
  // email subscriptions: incidents saved through this app's store are mailed to subscribers
  const subscribable = config.subscriptions && (config.subscriptions.email || config.subscriptions.webhooks?.length);
  const subscriptions =
    subscribable && config.page.publicUrl
      ? createSubscriptions({
          config: config.subscriptions!,
          store: deps.store,
          checks: config.checks,
          pageTitle: config.page.title,
          publicUrl: config.page.publicUrl,
          now,
          logger,
        })
      : undefined;
  const store = subscriptions
    ? withIncidentNotices(deps.store, subscriptions.incidentSaved, (error) => logger?.warn({ err: error }, 'subscription notices not sent'))
    : deps.store;
  // a long-running server (one with a result bus) also announces windows that open or close by time
  if (subscriptions && bus) (deps.maintenanceWatch ?? processMaintenanceWatch(deps)).join({ announce: subscriptions.announce });
  const ttlMs = config.page.cacheSeconds * 1000;
  const theme = createTheme({ overrideDir: overrideThemeDir(config), defaultDir: deps.defaultThemeDir, timeZone: config.page.timeZone });
  const cache = createResponseCache({
    ttlMs,
    now,
    liveRefreshMs: config.page.liveRefreshSeconds * 1000,
    onRender: deps.onRender,
    onBackgroundError: (error, key) => logger?.warn({ err: error, key }, 'background re-render failed; serving the previous output'),
  });
  // with a bus, states and rollups live in memory, updated per batch: renders read no store
  const facts = bus ? createLiveStatusFacts({ store, checks: config.checks, now }) : undefined;
  const memo = createModelMemo({ store, config, now, ttlMs, calendar: deps.maintenance, facts });
  // Made on first use unless handed in: without a bus (the page Lambda) nothing is counted before
  // the first scrape, so a process that is never scraped never loads prom-client.
  let metrics: AppMetrics | undefined = deps.metrics;
  const metricsOf = loadOnce(async () => {
    if (metrics) return metrics;
    const [{ createMetrics }, { perCheckSeries }] = await Promise.all([import('./metrics.ts'), import('./metrics-config.ts')]);
    metrics = createMetrics({ perCheck: perCheckSeries(config.metrics ?? { perCheck: 'auto' }, config.checks.length) });
    return metrics;
  });
  const invalidate = () => {
    memo.invalidate();
    cache.invalidate();
  };
  const countResults = deps.countBusResults ?? true;
  // per check: a batch leaves every other check's page, API answer and badge cached; a status
  // change drops what it touches, other results leave it servable for page.liveRefreshSeconds
  const live = createLiveInvalidation(cache, config.checks);
  if (bus) store.readStates().then(live.seed, (error) => logger?.warn({ err: error }, 'statuses not read: the first results drop cached pages'));
  const unsubscribe = bus?.subscribe(async (event) => {
    if (countResults) (metrics ?? (await metricsOf())).observeResults(event);
    try {
      await facts?.apply(event);
    } finally {
      memo.resultsArrived(live.onBatch(event));
    }
  });
  if (unsubscribe) deps.signal?.addEventListener('abort', unsubscribe, { once: true });

  const clientAddress = createClientAddress(config.server?.trustProxy);
  const ctx: AppContext = {
    config,
    store,
    bus,
    now,
    logger,
    theme,
    cache,
    model: () => memo.get(),
    metricsModel: () => (bus ? memo.recent(METRICS_MODEL_MAX_AGE_MS) : memo.get()),
    statusCounts: () => memo.statusCounts(),
    templateBase: () => ({ page: config.page, live: bus !== undefined, now: now() }),
    invalidate,
    admin: createAdminAuth(config.admin, { sessions: store, clientAddress }),
    metrics: metricsOf,
    clientAddress,
    subscriptions,
    known: createKnownNames(config.checks),
  };

  const app = new Hono();
  app.onError((error, c) => errorResponse(c, ctx, error));
  app.notFound((c) => errorResponse(c, ctx, new NotFoundError()));
  app.use(securityHeaders());
  app.use(compress({ contentTypeFilter: /^\s*(?:text\/html|application\/json|image\/svg\+xml|application\/(?:rss|atom)\+xml)/ }));
  app.get('/healthz', (c) => c.json({ status: 'ok', ...deps.health?.() }, 200, { 'Cache-Control': 'no-store' }));
  // Pushes come from cron jobs that cannot send the proxy's header: their token is the credential.
  registerPushRoutes(app, ctx, { rateLimit: deps.pushRateLimit });
  // CORS for the Statuspage API. A GET needs only `Access-Control-Allow-Origin: *` (what the cors
  // middleware sends for `origin: '*'`), set on the finished response: the middleware touches the
  // response before the route runs, which makes Hono re-wrap the route's cached bytes as a stream.
  app.use('/api/v2/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return statuspageCors(c, next);
    await next();
    c.res.headers.set('Access-Control-Allow-Origin', '*');
  });
  app.use(authHeader(config.auth));
  registerPageRoutes(app, ctx);
  registerAssetRoutes(app, ctx);
  registerIncidentPageRoutes(app, ctx);
  registerIncidentApiRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerAdminUiRoutes(app, ctx);
  registerSilenceRoutes(app, ctx);
  registerAlertAckRoutes(app, ctx);
  registerAlertAckLinkRoutes(app, ctx);
  registerMetricsRoutes(app, ctx);
  registerApiRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerStatuspageRoutes(app, ctx);
  registerBadgeRoutes(app, ctx);
  registerFeedRoutes(app, ctx);
  registerSubscribeRoutes(app, ctx);
  return app;
}
