/**
 * The kept-alive connections alert deliveries post through: one undici `Agent` per dispatcher,
 * made on the first request and closed when delivery stops.
 *
 * Why not undici's global dispatcher: once Node's own fetch machinery is loaded (the web server
 * loads it for `Request`/`Response`), that global is the Agent of Node's bundled copy of undici,
 * so every webhook ran through a second HTTP client, a few times a second, in code that never got
 * hot — while the http probe's undici (this same package) runs 25 times a second at 500 checks
 * @ 20 s. Posting through an Agent of the probe's package keeps alerting on the code that is
 * already compiled; closing it on stop leaves no delivery connection open behind the dispatcher.
 * @module
 */
import type { Agent, Dispatcher } from 'undici';

/** The request options deliveries use. */
interface PoolRequest {
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface HttpPool {
  /** One request over the pool's connections; resolves with undici's response (status, headers, body stream). */
  request(url: string, options: PoolRequest): Promise<Dispatcher.ResponseData>;
  /** Closes every connection; a later request opens a new Agent. */
  close(): Promise<void>;
}

/** The undici module, once the first request has loaded it (see `request`). */
let undici: typeof import('undici') | undefined;

/** Loads undici once per process (a dynamic import of a loaded module still costs a loader trip and a promise). */
export async function loadUndici(): Promise<typeof import('undici')> {
  // `.default`: undici is CommonJS; in the Lambda bundle its chunk has only a default export
  return (undici ??= (await import('undici')).default);
}

export function createHttpPool(): HttpPool {
  let agent: Agent | undefined;
  return {
    async request(url, options) {
      const { Agent: UndiciAgent, request } = await loadUndici();
      agent ??= new UndiciAgent();
      return request(url, { ...options, dispatcher: agent });
    },
    async close() {
      const open = agent;
      agent = undefined;
      await open?.close();
    },
  };
}
