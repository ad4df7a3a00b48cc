/**
 * URLs as messages and the page show them. Apart from http-config.ts (the schema) so a probe
 * run does not load the config schemas.
 * @module
 */

/**
 * The URL for display: credentials removed, everything else kept. `url` itself when nothing
 * changed, so a check's target and its probe config share one string (at 100,000 checks, one
 * copy of every URL fewer).
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href === url ? url : parsed.href;
  } catch {
    return '(invalid url)';
  }
}
