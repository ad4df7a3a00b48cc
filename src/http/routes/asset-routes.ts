/**
 * Static theme assets (the page's script). Served from the theme, so an override folder in
 * `page.templates` can replace them like templates; only names in `THEME_ASSETS` are served.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { NotFoundError } from '../http-errors.ts';

/** Asset file names a theme may provide, with their content types. */
const THEME_ASSETS: Readonly<Record<string, string>> = { 'live.js': 'text/javascript; charset=utf-8' };

export function registerAssetRoutes(app: Hono, ctx: Pick<AppContext, 'theme'>): void {
  const loaded = new Map<string, { body: Uint8Array<ArrayBuffer>; etag: string } | undefined>();
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const type = THEME_ASSETS[name];
    if (!type) throw new NotFoundError();
    if (!loaded.has(name)) {
      const bytes = ctx.theme.asset(name);
      loaded.set(name, bytes && { body: new Uint8Array(bytes), etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` });
    }
    const asset = loaded.get(name);
    if (!asset) throw new NotFoundError();
    const headers = { 'Content-Type': type, 'Cache-Control': 'public, max-age=300', ETag: asset.etag };
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.body, 200, headers);
  });
}
