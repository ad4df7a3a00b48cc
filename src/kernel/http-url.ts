/**
 * The one test for "an absolute http(s) URL", shared by probe configs, notifier links and the
 * importers. (WHATWG URL parsing already refuses http(s) URLs without a host.)
 * @module
 */
export function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
