/**
 * The one HTTP call most channels make: POST a body, succeed on 2xx, otherwise throw a
 * `DeliveryError` naming the status and the start of the reply. Replies are read up to
 * `REPLY_CAP_BYTES` only.
 * @module
 */
import { DeliveryError } from './notifier.ts';

/** Most bytes of a reply read (the rest is dropped with the connection): receivers are not trusted. */
export const REPLY_CAP_BYTES = 64 * 1024;

/** The undici module, once the first delivery has loaded it (see `postBody`). */
let undici: typeof import('undici') | undefined;

export interface PostOptions {
  method?: 'POST' | 'PUT';
  headers?: Record<string, string>;
  signal: AbortSignal;
}

/** Sends `body` (a string, sent as is) and returns the reply text of a 2xx answer. */
export async function postBody(url: string, body: string, options: PostOptions): Promise<string> {
  let response;
  try {
    // imported on the first delivery: loading notifiers (the page function, the CLI) never needs
    // it; later deliveries reuse the module (a dynamic import of a loaded module still resolves it
    // through the loader every time). `.default`: undici is CommonJS; in the Lambda bundle its
    // chunk has only a default export
    const { request } = (undici ??= (await import('undici')).default);
    response = await request(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'upstate', ...options.headers },
      body,
      signal: options.signal,
    });
  } catch (cause) {
    const reason = options.signal.aborted ? 'timed out' : (cause as Error).message;
    throw new DeliveryError(`request to ${redact(url)} failed: ${reason}`, { cause });
  }
  const text = await readCapped(response.body, REPLY_CAP_BYTES);
  if (response.statusCode < 200 || response.statusCode >= 300) {
    // 4xx other than 408/429 means the receiver will refuse this payload every time
    const retryable = response.statusCode >= 500 || response.statusCode === 408 || response.statusCode === 429;
    throw new DeliveryError(`HTTP ${response.statusCode} from ${redact(url)}: ${text.slice(0, 200)}`, { retryable });
  }
  return text;
}

/**
 * Reads at most `cap` bytes of a reply as text, then destroys the stream (and with it the
 * connection), so a receiver answering with an endless or huge body costs at most `cap` bytes.
 */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk.subarray(0, cap - size));
      size += Math.min(chunk.length, cap - size);
      if (size >= cap) break; // leaving the loop destroys the stream
    }
  } catch {
    // a reply cut short still yields what arrived; the status code decides the outcome
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON-encodes `payload` and posts it. */
export function postJson(url: string, payload: unknown, options: PostOptions): Promise<string> {
  return postBody(url, JSON.stringify(payload), options);
}

/** Webhook URLs embed their secret in the path: only origin goes into messages and logs. */
function redact(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}
