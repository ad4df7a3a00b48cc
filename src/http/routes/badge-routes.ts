/**
 * Badges for READMEs and dashboards: `/badge/:id/status.svg` (confirmed status) and
 * `/badge/:id/uptime.svg?window=24h|7d|30d|90d`. `?label=` replaces the check name.
 * @module
 */
import type { Context, Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import type { CheckStatus } from '../../domain/status.ts';
import { UPTIME_WINDOWS, type UptimeWindow } from '../../status/status-model.ts';
import { BADGE_COLOURS, badgeSvg } from '../badge-svg.ts';
import { sendCached } from '../conditional-get.ts';
import { BadRequestError, NotFoundError } from '../http-errors.ts';
import { STATUS_LABELS, percentText } from '../view-format.ts';

const SVG = 'image/svg+xml; charset=utf-8';

const STATUS_COLOUR: Record<CheckStatus, string> = {
  up: BADGE_COLOURS.brightgreen,
  degraded: BADGE_COLOURS.yellow,
  down: BADGE_COLOURS.red,
  maintenance: BADGE_COLOURS.blue,
  unknown: BADGE_COLOURS.grey,
};

/** Colour bands for uptime badges, from best to worst. */
function uptimeColour(value: number | null): string {
  if (value === null) return BADGE_COLOURS.grey;
  if (value >= 99.9) return BADGE_COLOURS.brightgreen;
  if (value >= 99) return BADGE_COLOURS.green;
  if (value >= 95) return BADGE_COLOURS.yellow;
  if (value >= 90) return BADGE_COLOURS.orange;
  return BADGE_COLOURS.red;
}

export function registerBadgeRoutes(app: Hono, ctx: AppContext): void {
  const cacheOptions = { maxAgeSeconds: ctx.config.page.cacheSeconds, private: ctx.config.auth !== undefined };
  const labelOf = (value: string | undefined, fallback: string) => (value && value.length <= 100 ? value : fallback);
  /**
   * An unknown id (a renamed or removed check) still answers with an image, so a README shows
   * "unknown" instead of a broken image. Not stored in the cache: ids are unbounded input.
   */
  const unknownBadge = (c: Context, label: string) =>
    c.body(badgeSvg(label, 'unknown', BADGE_COLOURS.grey), 404, { 'Content-Type': SVG, 'Cache-Control': `${cacheOptions.private ? 'private' : 'public'}, max-age=${cacheOptions.maxAgeSeconds}` });

  app.get('/badge/:id/status.svg', async (c) => {
    const id = c.req.param('id');
    const label = c.req.query('label');
    if (!(await ctx.model()).components.some((x) => x.id === id)) return unknownBadge(c, labelOf(label, 'status'));
    const entry = await ctx.cache.get(`badge:${id}:status:${label ?? ''}`, async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      const body = badgeSvg(labelOf(label, component.name), STATUS_LABELS[component.status].toLowerCase(), STATUS_COLOUR[component.status]);
      return { body, contentType: SVG, status: 200, lastModified: component.lastCheckedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });

  app.get('/badge/:id/uptime.svg', async (c) => {
    const id = c.req.param('id');
    const window = (c.req.query('window') ?? '30d') as UptimeWindow;
    if (!UPTIME_WINDOWS.includes(window)) throw new BadRequestError(`window must be one of ${UPTIME_WINDOWS.join(', ')}`);
    const label = c.req.query('label');
    if (!(await ctx.model()).components.some((x) => x.id === id)) return unknownBadge(c, labelOf(label, `uptime ${window}`));
    const entry = await ctx.cache.get(`badge:${id}:uptime:${window}:${label ?? ''}`, async () => {
      const model = await ctx.model();
      const component = model.components.find((x) => x.id === id);
      if (!component) throw new NotFoundError('There is no check with this id.');
      const value = component.uptime[window];
      const body = badgeSvg(labelOf(label, `uptime ${window}`), value === null ? 'no data' : percentText(value), uptimeColour(value));
      return { body, contentType: SVG, status: 200, lastModified: component.lastCheckedAt ?? model.generatedAt };
    });
    return sendCached(c, entry, cacheOptions);
  });
}
