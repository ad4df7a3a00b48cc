/**
 * The agent's HTTP(S) client for the server's agent API: fetches the checks assigned to its
 * region and posts result batches, with its bearer token and a timeout on every request.
 * Transport problems and 5xx are `retry` (the results stay buffered); a 400 is `reject` (that
 * batch can never be accepted: it is dropped rather than blocking the queue forever); a 401 is
 * `unauthorized` (the token was revoked: keep the results, retry slowly, say so loudly).
 * @module
 */
import type { CheckResult } from '../domain/result.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { agentChecksResponseSchema, type AgentChecksResponse } from './agent-checks.ts';

export type PostOutcome = { kind: 'ok' } | { kind: 'retry' | 'reject' | 'unauthorized'; reason: string };

export interface AgentClientOptions {
  /** Base URL of the Upstate server, e.g. `https://status.example.com`. */
  server: string;
  token: string;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number;
  /** The agent's clock (the one its results are stamped with): each batch carries its send time. */
  clock?: Pick<Clock, 'now'>;
}

export interface AgentClient {
  /** Throws (with the cause) when the server cannot be reached or refuses. */
  fetchChecks(): Promise<AgentChecksResponse>;
  postResults(results: readonly CheckResult[]): Promise<PostOutcome>;
}

/** The server could not be asked, or answered with an error. */
class AgentApiError extends Error {
  readonly status?: number;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.name = 'AgentApiError';
  }
}

export function createAgentClient(options: AgentClientOptions): AgentClient {
  const base = options.server.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  const headers = { authorization: `Bearer ${options.token}`, 'user-agent': 'upstate-agent' };

  return {
    async fetchChecks() {
      let response: Response;
      try {
        response = await fetch(`${base}/api/v1/agent/checks`, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (cause) {
        throw new AgentApiError(`cannot reach ${base}: ${(cause as Error).message}`, undefined, { cause });
      }
      if (!response.ok) throw new AgentApiError(`GET /api/v1/agent/checks answered ${response.status}`, response.status);
      const parsed = agentChecksResponseSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new AgentApiError('the server sent checks in an unexpected shape', response.status, { cause: parsed.error });
      return parsed.data;
    },

    async postResults(results) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/v1/agent/results`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          // the server measures this agent's clock offset from it and corrects the result times
          body: JSON.stringify({ sentAt: clock.now(), results }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        return { kind: 'retry', reason: `cannot reach ${base}: ${(cause as Error).message}` };
      }
      const text = await response.text().catch(() => '');
      if (response.ok) return { kind: 'ok' };
      const reason = `POST /api/v1/agent/results answered ${response.status} ${text.slice(0, 200)}`;
      if (response.status === 401 || response.status === 403) return { kind: 'unauthorized', reason };
      if (response.status === 400) return { kind: 'reject', reason };
      return { kind: 'retry', reason };
    },
  };
}
