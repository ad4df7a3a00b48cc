/**
 * URLs as messages and the page show them. Apart from http-config.ts (the schema) so a probe
 * run does not load the config schemas.
 * @module
 */

/** The URL for display: credentials removed, everything else kept. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return '(invalid url)';
  }
}
