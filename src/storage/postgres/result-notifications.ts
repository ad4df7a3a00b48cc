/**
 * Cross-instance live updates over PostgreSQL LISTEN/NOTIFY: an instance that recorded results
 * announces which checks changed on channel `upstate_results`; every instance's live feed listens
 * and re-reads those checks. Payloads stay small (NOTIFY refuses payloads of 8000 bytes or more),
 * so a long list of checks is split over several notifications.
 * @module
 */
import { createPgClient, type PgQueryable } from './pg-pool.ts';

const RESULTS_CHANNEL = 'upstate_results';
/** NOTIFY's limit is 8000 bytes including the terminator; stay safely below. */
const MAX_PAYLOAD_BYTES = 7900;

/** What one notification says. */
export interface ResultsNotice {
  /** Names of the checks that have new results or states. */
  checks: string[];
  /** When the results were recorded, epoch ms. */
  at: number;
  /** The announcing instance, so it can ignore its own echo. */
  origin?: string;
  /**
   * Set when the listener may have missed notices (it reconnected) or a name did not fit:
   * everything should be re-read.
   */
  all?: true;
}

/**
 * Sends `notice` on the results channel, split into as many payloads as needed. Pass a
 * transaction's connection to have it delivered only if (and when) the transaction commits.
 */
export async function notifyResults(db: PgQueryable, notice: ResultsNotice): Promise<void> {
  for (const payload of splitNotice(notice)) {
    await db.query('SELECT pg_notify($1, $2)', [RESULTS_CHANNEL, payload]);
  }
}

/** Serialises a notice into payloads each under the NOTIFY limit. */
export function splitNotice(notice: ResultsNotice): string[] {
  const whole = JSON.stringify(notice);
  if (Buffer.byteLength(whole) <= MAX_PAYLOAD_BYTES) return [whole];
  const payloads: string[] = [];
  const base = { ...notice, checks: [] as string[] };
  const baseBytes = Buffer.byteLength(JSON.stringify(base));
  let current: string[] = [];
  let bytes = baseBytes;
  for (const check of notice.checks) {
    const size = Buffer.byteLength(JSON.stringify(check)) + 1;
    if (baseBytes + size > MAX_PAYLOAD_BYTES) {
      // a name this long cannot be carried: tell listeners to re-read everything instead
      payloads.push(JSON.stringify({ ...base, all: true }));
      continue;
    }
    if (bytes + size > MAX_PAYLOAD_BYTES) {
      payloads.push(JSON.stringify({ ...base, checks: current }));
      current = [];
      bytes = baseBytes;
    }
    current.push(check);
    bytes += size;
  }
  if (current.length) payloads.push(JSON.stringify({ ...base, checks: current }));
  return payloads;
}

/** A running subscription. */
export interface ResultsListener {
  /** Resolves once the first LISTEN is active, so notices sent afterwards are not missed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Connection problems (each is followed by a reconnect with back-off). */
  onError?: (error: Error) => void;
  /** Longest wait between reconnect attempts, ms (default 10 s). */
  maxBackoffMs?: number;
}

/**
 * Listens on the results channel with one dedicated connection (LISTEN needs a session, so it
 * cannot use a pool). When the connection drops it reconnects with capped back-off and then
 * delivers `{ all: true }`, because notices sent while it was away are lost.
 */
export function listenForResults(url: string, onEvent: (notice: ResultsNotice) => void, options: ListenOptions = {}): ResultsListener {
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  let closed = false;
  let client: ReturnType<typeof createPgClient> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const deliver = (payload: string | undefined): void => {
    try {
      const notice = JSON.parse(payload ?? '') as ResultsNotice;
      if (Array.isArray(notice.checks)) onEvent(notice);
    } catch {
      // not ours or garbled: a listener never crashes on a foreign payload
    }
  };

  const connect = async (): Promise<void> => {
    const current = createPgClient(url);
    client = current;
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      current.removeAllListeners('notification');
      void current.end().catch(() => {});
      if (error) options.onError?.(error);
      if (closed) return;
      failures += 1;
      const delay = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 10));
      retryTimer = setTimeout(() => void connect(), delay);
    };
    current.on('error', onLost);
    current.on('end', () => onLost());
    current.on('notification', (message) => {
      if (message.channel === RESULTS_CHANNEL) deliver(message.payload);
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${RESULTS_CHANNEL}`);
      if (closed) return void current.end().catch(() => {});
      // after a reconnect, whatever was announced in between is gone: ask for a full re-read
      if (failures > 0) onEvent({ checks: [], at: Date.now(), all: true });
      failures = 0;
      markReady();
    } catch (error) {
      onLost(error as Error);
    }
  };

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      markReady();
      await client?.end().catch(() => {});
    },
  };
}
