/**
 * The `http` probe: one request (plus redirects) over a fresh connection per run, with phase
 * timings, a capped body read, certificate facts for https, and the built-in assertions.
 * Every failure — DNS, refused, TLS, reset, timeout, bad status or body — comes back as data.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'undici';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome, Timings } from '../../domain/result.ts';
import { classifyError } from '../tcp/classify-error.ts';
import { ProbeFailure } from '../tcp/probe-failure.ts';
import { ms, type Connection, type ConnectPhase } from '../tcp/timed-connect.ts';
import { loadCa } from '../tls/ca-option.ts';
import { checkResponse } from './http-assertions.ts';
import { createTimedConnector } from './http-connector.ts';
import { displayUrl, httpConfigSchema, type HttpConfig } from './http-config.ts';
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

/** Per-run facts gathered by the connector and the request loop. */
interface RunState {
  phase: Phase;
  url: URL;
  connection?: Connection;
  firstByteAt?: number;
  redirects: number;
}

function encodeBody(body: HttpConfig['body']): { payload?: string; json: boolean } {
  if (body === undefined) return { json: false };
  return typeof body === 'string' ? { payload: body, json: false } : { payload: JSON.stringify(body), json: true };
}

function timingsOf(state: RunState, startedAt: number): Timings {
  const timings: Timings = { ...state.connection?.timings, total: ms(performance.now() - startedAt) };
  if (state.connection && state.firstByteAt !== undefined) timings.firstByte = ms(state.firstByteAt - state.connection.readyAt);
  return timings;
}

/** The `http` probe plug-in. */
export const httpProbe = defineProbe<HttpConfig>({
  kind: 'http',
  schema: httpConfigSchema,
  describe: (config) => displayUrl(config.url),
  async run(config, ctx): Promise<ProbeOutcome> {
    // undici is imported on the first run, before the clock starts: loading the config (the page
    // function, `upstate validate`) never needs it
    const { Client: UndiciClient } = await import('undici');
    const startedAt = performance.now();
    const state: RunState = { phase: 'connect', url: new URL(config.url), redirects: 0 };
    const details: Record<string, unknown> = {};
    // One undici Client per origin (a redirect to another origin gets its own): an Agent would
    // build a Pool and then this same Client for the single origin a hop talks to.
    let client: Client | undefined;
    let clientOrigin: string | undefined;
    const finish = (failure: Failure | undefined, extra: Partial<ProbeOutcome> = {}): ProbeOutcome => {
      const timings = timingsOf(state, startedAt);
      if (state.connection?.certificate) details.certificate = state.connection.certificate;
      if (state.connection?.verifyError) details.tlsVerifyError = state.connection.verifyError;
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
      const clientOptions = {
        connect: createTimedConnector({
          family: config.ipFamily,
          verify: config.tls.verify,
          ca: await loadCa(config.tls.ca),
          signal: ctx.signal,
          timeoutMs: ctx.timeoutMs,
          now: ctx.now,
          onPhase: (phase) => (state.phase = phase),
          onConnection: (connection) => {
            state.connection = connection;
            state.firstByteAt = undefined;
            state.phase = 'headers';
          },
          onFirstByte: (at) => (state.firstByteAt ??= at),
        }),
        // The signal is the real deadline; these are only a backstop should it never fire.
        headersTimeout: ctx.timeoutMs + 1000,
        bodyTimeout: ctx.timeoutMs + 1000,
      };
      for (;;) {
        state.phase = 'connect';
        state.connection = undefined; // timings and certificate always describe the current hop
        if (!client || clientOrigin !== state.url.origin) {
          client?.destroy(RUN_FINISHED).catch(() => {});
          client = new UndiciClient(state.url.origin, clientOptions);
          clientOrigin = state.url.origin;
        }
        const response = await client.request({
          path: state.url.pathname + state.url.search,
          method: method as 'GET',
          headers,
          body: payload,
          signal: ctx.signal,
          reset: true, // one connection per request: every hop is measured from scratch
        });
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
      // Destroying (not closing) drops any half-read response at once; nothing is pooled across runs.
      client?.destroy(RUN_FINISHED).catch(() => {});
    }
  },
});
