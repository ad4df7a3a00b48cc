/**
 * `GET|POST /api/v1/push/:token`: heartbeat pushes from cron jobs and scripts. The token in the
 * path is the credential, so this route is exempt from the reverse-proxy auth header (a cron job
 * cannot send the proxy's secret); the framework-free logic lives in probes/heartbeat/push.ts.
 *
 * `status` and `msg` come from the query string, or for POST from an url-encoded or JSON body
 * (`curl -d status=fail -d msg=…`); the query wins when both are given.
 * @module
 */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../app-context.ts';
import { createPushHandler, type PushQuery, type PushRateLimits } from '../../probes/heartbeat/push.ts';
import { PUSH_PATH_PREFIX } from '../../probes/heartbeat/heartbeat-token.ts';

/** Largest POST body read (a status and a 500-character message fit easily). */
const MAX_BODY_BYTES = 4096;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** status/msg from a POST body; anything unreadable counts as absent, never as an error. */
async function bodyFields(c: Context): Promise<PushQuery> {
  if (c.req.method !== 'POST') return {};
  const type = c.req.header('content-type') ?? '';
  try {
    if (type.includes('application/json')) {
      const json = (await c.req.json()) as Record<string, unknown> | null;
      return json && typeof json === 'object' ? { status: text(json.status), msg: text(json.msg) } : {};
    }
    if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      const form = await c.req.parseBody();
      return { status: text(form.status), msg: text(form.msg) };
    }
  } catch {
    // A job that posts garbage still reached us: the ping itself counts.
  }
  return {};
}

export function registerPushRoutes(app: Hono, ctx: AppContext, options: { rateLimit?: PushRateLimits } = {}): void {
  const push = createPushHandler({ store: ctx.store, now: ctx.now, rateLimit: options.rateLimit });
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ ok: false, error: 'body too large' }, 413, { 'Cache-Control': 'no-store' }),
  });
  app.on(['GET', 'POST'], `${PUSH_PATH_PREFIX}:token`, limit, async (c) => {
    const body = await bodyFields(c);
    const query: PushQuery = { status: c.req.query('status') ?? body.status, msg: c.req.query('msg') ?? body.msg };
    const response = await push(c.req.param('token'), query, ctx.clientAddress(c));
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (response.status === 429) headers['Retry-After'] = String(response.body.retryAfterSeconds);
    return c.json(response.body, response.status, headers);
  });
}
