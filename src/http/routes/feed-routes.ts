/**
 * `/feed.rss` and `/feed.atom`: incidents and maintenance as feeds.
 * @module
 */
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { sendCached } from '../conditional-get.ts';
import { atomFeed, rssFeed } from '../incident-feed.ts';

const FEEDS = {
  'feed.rss': { render: rssFeed, type: 'application/rss+xml; charset=utf-8' },
  'feed.atom': { render: atomFeed, type: 'application/atom+xml; charset=utf-8' },
} as const;

export function registerFeedRoutes(app: Hono, ctx: AppContext): void {
  const cacheOptions = { maxAgeSeconds: ctx.config.page.cacheSeconds, private: ctx.config.auth !== undefined };
  for (const [path, feed] of Object.entries(FEEDS)) {
    app.get(`/${path}`, async (c) => {
      const baseUrl = (ctx.config.page.publicUrl ?? new URL(c.req.url).origin + (ctx.config.basePath ?? '')).replace(/\/$/, '');
      const entry = await ctx.cache.get(`feed:${baseUrl}:${path}`, async () => {
        const model = await ctx.model();
        const body = feed.render(model, { title: ctx.config.page.title, description: ctx.config.page.description, baseUrl });
        return { body, contentType: feed.type, status: 200, lastModified: model.generatedAt };
      });
      return sendCached(c, entry, cacheOptions);
    });
  }
}
