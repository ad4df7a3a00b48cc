/**
 * Formatting for templates, registered as Nunjucks filters so override themes can use them too.
 * Every function accepts null/undefined and renders a dash, so templates need no guards.
 * @module
 */
import type { CheckStatus } from '../domain/status.ts';
import type { OverallStatus } from '../status/status-model.ts';

const DASH = '—';

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function relativeTime(at: number | null | undefined, now: number): string {
  if (at === null || at === undefined) return 'never';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** ISO-8601 for `<time datetime>`. */
export function isoTime(at: number | null | undefined): string {
  return at === null || at === undefined ? '' : new Date(at).toISOString();
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:MM:SS` and the zone's short name, for `at` in the IANA zone `zone`. */
function zoned(at: number, zone: string): { text: string; zone: string } {
  if (zone === 'UTC') return { text: new Date(at).toISOString().slice(0, 19).replace('T', ' '), zone: 'UTC' };
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    zoneFormats.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return { text: `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`, zone: p.timeZoneName ?? zone };
}

/**
 * "2026-01-10 09:12:05 UTC" — the one format of every instant on the page, in the page's time
 * zone (`page.timeZone`, default UTC); the live script rewrites it into the visitor's zone.
 */
export function clockTime(at: number | null | undefined, zone = 'UTC'): string {
  if (at === null || at === undefined) return DASH;
  const t = zoned(at, zone);
  return `${t.text} ${t.zone}`;
}

/** A window in the same format: "2026-02-01 22:00 – 23:00 UTC" on one day, else both dates; seconds dropped. */
export function timeRange(from: number | null | undefined, until: number | null | undefined, zone = 'UTC'): string {
  if (from === null || from === undefined) return DASH;
  const a = zoned(from, zone);
  const start = a.text.slice(0, 16);
  if (until === null || until === undefined) return `${start} ${a.zone}`;
  const b = zoned(until, zone);
  const end = b.text.slice(0, 16);
  return `${start} – ${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end} ${b.zone}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Jan 10" from a `YYYY-MM-DD` date or epoch ms (UTC). Plain arithmetic: it runs 9,000 times per page. */
export function shortDate(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  // a page names the same 90 dates for every check: each is formatted once
  if (typeof value === 'string') {
    let text = shortDates.get(value);
    if (text === undefined) {
      text = formatShortDate(value);
      if (shortDates.size > 4096) shortDates.clear();
      shortDates.set(value, text);
    }
    return text;
  }
  return formatShortDate(value);
}
const shortDates = new Map<string, string>();

function formatShortDate(value: string | number): string {
  const at = typeof value === 'number' ? value : Date.parse(`${value}T00:00:00Z`);
  if (!Number.isFinite(at)) return DASH;
  const date = new Date(at);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
}

/** "87 ms", "1.24 s". */
export function latency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "100%", "99.95%", "—". */
export function percentText(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (value >= 100) return '100%';
  return value <= 0 ? '0%' : `${value.toFixed(2)}%`;
}

/** Colour level of an uptime bar cell: n (no data), 0 (100%) … 4 (below 90%). */
export function uptimeLevel(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n';
  if (value >= 100) return '0';
  if (value >= 99) return '1';
  if (value >= 95) return '2';
  if (value >= 90) return '3';
  return '4';
}

/** Words for each component status (the page never relies on colour alone). */
export const STATUS_LABELS: Record<CheckStatus, string> = {
  up: 'Operational',
  degraded: 'Degraded',
  down: 'Outage',
  maintenance: 'Maintenance',
  unknown: 'No data',
};

/** Words for the status of a single result (not yet confirmed, so not "Outage"). */
export const RESULT_LABELS: Record<'up' | 'degraded' | 'down', string> = { up: 'Up', degraded: 'Slow', down: 'Down' };

/** Component status that colours the overall banner. */
export const OVERALL_TONE: Record<OverallStatus, CheckStatus> = {
  operational: 'up',
  degraded: 'degraded',
  partial_outage: 'down',
  major_outage: 'down',
  maintenance: 'maintenance',
  unknown: 'unknown',
};

/** Human words for incident and maintenance statuses ("in_progress" → "In progress"). */
export function humanize(value: string | null | undefined): string {
  if (!value) return DASH;
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
