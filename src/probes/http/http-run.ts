/**
 * The `http` probe's run: one request (plus redirects) over a fresh connection per run, with phase
 * timings, a capped body read, certificate facts for https, and the built-in assertions.
 * Every failure — DNS, refused, TLS, reset, timeout, bad status or body — comes back as data.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'undici';
import type { ProbeContext } from '../probe.ts';
import type { Failure, ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { ms, type Connection, type ConnectPhase } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { checkResponse } from './http-assertions.ts';
import { createTimedConnector, type ConnectorOptions } from './http-connector.ts';
import type { HttpConfig } from './http-config.ts';
import { displayUrl } from './display-url.ts';
import { readCappedBody, type CappedBody } from './read-capped-body.ts';
import { requestHeaders, responseHeaders } from './http-headers.ts';
import { nextHop } from './redirects.ts';

type Phase = ConnectPhase | 'headers' | 'body';

const PHASE_TEXT: Record<Phase, string> = {
  dns: 'resolving',
  connect: 'connecting to',
  tls: 'in the TLS handshake with',
  headers: 'waiting for the response headers from',
  body: 'reading the body from',
};

/**
 * The reason handed to `destroy()` when a run is over. Without one undici builds a fresh
 * ClientDestroyedError per run (and Node formats its stack when the socket is destroyed with it),
 * a few per cent of the monitor's CPU at 100,000 checks a minute. Nothing reads it: one serves all.
 */
const RUN_FINISHED = new Error('http probe run finished');

/** The undici module, once the first run has loaded it (see `run`). */
let undici: typeof import('undici') | undefined;

/** Per-run facts gathered by the connector and the request loop. */
interface RunState {
  phase: Phase;
  url: URL;
  connection?: Connection;
  /** The connection of an earlier run this hop reused (certificate facts still describe it). */
  reused?: Connection;
  requestAt?: number;
  firstByteAt?: number;
  redirects: number;
}

/**
 * An undici Client with one connection, held by one run at a time. Its connector reads the
 * holding run's signal and callbacks from `hooks` at connect time, so a pooled client reports into
 * whichever run holds it. `connection` is its current connection (for a reusing run's certificate).
 */
interface HeldClient {
  origin: string;
  client: Client;
  hooks: ConnectorOptions;
  connection?: Connection;
}

const closeHeld = (held: HeldClient) => void held.client.destroy(RUN_FINISHED).catch(() => {});

/**
 * Idle time after which a pooled connection is closed when the server gives no keep-alive hint
 * (with one, undici uses the hint less a second). Short, so a server with a short idle timeout
 * rarely closes a connection just as a run reuses it; a reuse that still loses that race is
 * retried once on a fresh connection.
 */
const KEEP_ALIVE_MS = 2_000;

/** Runs may share a pooled connection only with the same origin, address family, TLS settings and timeout. */
function poolKey(origin: string, config: HttpConfig, timeoutMs: number): string {
  return `${origin} ${config.ipFamily ?? ''} ${config.tls.verify} ${timeoutMs} ${config.tls.ca === undefined ? '' : JSON.stringify(config.tls.ca)}`;
}

function encodeBody(body: HttpConfig['body']): { payload?: string; json: boolean } {
  if (body === undefined) return { json: false };
  return typeof body === 'string' ? { payload: body, json: false } : { payload: JSON.stringify(body), json: true };
}

function timingsOf(state: RunState, startedAt: number): Timings {
  const timings: Timings = { ...state.connection?.timings, total: ms(performance.now() - startedAt) };
  if (state.firstByteAt !== undefined) {
    // over a reused connection there is no handshake: first byte counts from sending the request
    const from = state.connection?.readyAt ?? (state.reused ? state.requestAt : undefined);
    if (from !== undefined) timings.firstByte = ms(state.firstByteAt - from);
  }
  return timings;
}

/**
 * What the `http` probe does at run time (http-probe.ts adds the config schema): the runner the
 * lazy registry loads, so a run never loads the config schemas.
 */
export const httpRun = {
  describe: (config: HttpConfig) => displayUrl(config.url),
  async run(config: HttpConfig, ctx: ProbeContext): Promise<ProbeOutcome> {
    // undici is imported on the first run, before the clock starts: loading the config (the page
    // function, `upstate validate`) never needs it. Later runs reuse the module: a dynamic import
    // of a loaded module still goes through the loader and a promise on every run.
    // `.default`: undici is CommonJS, and in the Lambda bundle its chunk has only a default export
    // (named exports of an import() of it were undefined there: every bundled http run failed)
    const { Client: UndiciClient } = (undici ??= (await import('undici')).default);
    const startedAt = performance.now();
    const state: RunState = { phase: 'connect', url: new URL(config.url), redirects: 0 };
    const details: Record<string, unknown> = {};
    // `reuseConnection: false`: every run of this check opens (and times) its own connection
    const pool = config.reuseConnection === false ? undefined : ctx.keepAlive;
    // One undici Client per origin (a redirect to another origin gets its own): an Agent would
    // build a Pool and then this same Client for the single origin a hop talks to.
    let held: HeldClient | undefined;
    let heldKey = '';
    const finish = (failure: Failure | undefined, extra: Partial<ProbeOutcome> = {}): ProbeOutcome => {
      const timings = timingsOf(state, startedAt);
      const connection = state.connection ?? state.reused;
      if (connection?.certificate) details.certificate = connection.certificate;
      if (connection?.verifyError) details.tlsVerifyError = connection.verifyError;
      if (state.reused && !state.connection) details.connectionReused = true;
      if (state.redirects) details.redirects = state.redirects;
      return { ok: !failure, latencyMs: timings.total, timings, ...(failure ? { failure } : {}), details, ...extra };
    };
    try {
      let headers = requestHeaders(config, state.url);
      state.url.username = state.url.password = ''; // credentials travel in the header only
      const encoded = encodeBody(config.body);
      let payload = encoded.payload;
      if (encoded.json && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      let method: string = config.method;
      const visited = [state.url.href];
      const ca = await loadCa(config.tls.ca);
      // this run's side of the connector: set on every client the run holds
      const hooks = {
        family: config.ipFamily,
        verify: config.tls.verify,
        ca,
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        now: ctx.now,
        onPhase: (phase: ConnectPhase) => (state.phase = phase),
        onConnection: (connection: Connection) => {
          state.connection = connection;
          if (held) held.connection = connection;
          state.firstByteAt = undefined;
          state.phase = 'headers';
        },
        onFirstByte: (at: number) => (state.firstByteAt ??= at),
      } satisfies ConnectorOptions;
      /** A pooled client for the hop's origin, else a new one. */
      const hold = (origin: string, fresh: boolean): HeldClient => {
        heldKey = pool ? poolKey(origin, config, ctx.timeoutMs) : '';
        const pooled = pool && !fresh ? pool.take<HeldClient>(heldKey) : undefined;
        if (pooled) {
          Object.assign(pooled.hooks, hooks);
          state.reused = pooled.connection;
          return pooled;
        }
        const own: ConnectorOptions = { ...hooks };
        return {
          origin,
          hooks: own,
          client: new UndiciClient(origin, {
            connect: createTimedConnector(own),
            // The signal is the real deadline; these are only a backstop should it never fire.
            headersTimeout: ctx.timeoutMs + 1000,
            bodyTimeout: ctx.timeoutMs + 1000,
            keepAliveTimeout: KEEP_ALIVE_MS,
          }),
        };
      };
      let retried = false;
      for (;;) {
        state.phase = 'connect';
        state.connection = undefined; // timings and certificate always describe the current hop
        state.reused = undefined;
        if (!held || held.origin !== state.url.origin) {
          if (held) closeHeld(held);
          held = hold(state.url.origin, retried);
        }
        if (state.reused) state.phase = 'headers';
        state.requestAt = performance.now();
        let response: Awaited<ReturnType<Client['request']>>;
        try {
          response = await held.client.request({
            path: state.url.pathname + state.url.search,
            method: method as 'GET',
            headers,
            body: payload,
            signal: ctx.signal,
            // without a pool every hop is measured from scratch on its own connection
            reset: !pool,
          });
        } catch (err) {
          // the server closed an idle pooled connection just as this run reused it: that says
          // nothing about the target, so the hop is tried once more on a fresh connection
          if (state.reused && !state.connection && !retried && !ctx.signal.aborted) {
            retried = true;
            closeHeld(held);
            held = undefined;
            continue;
          }
          throw err;
        }
        state.phase = 'body';
        state.firstByteAt ??= performance.now();
        const resHeaders = responseHeaders(response.headers);
        const hop = config.followRedirects ? nextHop({ status: response.statusCode, headers: resHeaders, url: state.url, method, visited, maxRedirects: config.maxRedirects }) : undefined;
        if (hop) {
          response.body.on('error', () => {});
          response.body.destroy(); // a redirect's body is never needed
          if ('failure' in hop) return finish(hop.failure, { statusCode: response.statusCode, headers: resHeaders });
          state.redirects++;
          visited.push(hop.url.href);
          if (hop.url.origin !== state.url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
          if (hop.method !== method) payload = undefined;
          method = hop.method;
          state.url = hop.url;
          continue;
        }
        const body: CappedBody = await readCappedBody(response.body, config.maxBodyBytes);
        // a fully read answer leaves the connection reusable; a truncated one was cut off
        if (pool && !body.truncated && held.connection) {
          pool.release(heldKey, held, closeHeld, held.connection.readyAt);
          held = undefined;
        }
        details.bodyBytes = body.bytesRead;
        if (body.truncated) details.bodyTruncated = true;
        if (state.redirects) details.finalUrl = displayUrl(state.url.href);
        const failure = checkResponse(config, { statusCode: response.statusCode, headers: resHeaders, body: body.text, truncated: body.truncated });
        return finish(failure, { statusCode: response.statusCode, headers: resHeaders, body: body.text });
      }
    } catch (err) {
      const target = displayUrl(state.url.href);
      if (err instanceof ProbeFailure && err.details?.certificate) details.certificate = err.details.certificate;
      if (ctx.signal.aborted) {
        return finish({ class: 'timeout', message: `timed out after ${ctx.timeoutMs} ms ${PHASE_TEXT[state.phase]} ${target}` });
      }
      const during = state.phase === 'body' ? 'reading the body' : state.phase === 'headers' ? 'waiting for the response headers' : undefined;
      const failure = classifyError(err, { target, host: state.url.hostname, during, family: config.ipFamily });
      return finish(failure);
    } finally {
      // Destroying (not closing) drops any half-read response at once; only a client whose
      // answer was read in full went back to the pool above.
      if (held) closeHeld(held);
    }
  },
};
