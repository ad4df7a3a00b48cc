/**
 * Reads the output of iputils `ping -n` (the Debian/Ubuntu/Alpine `ping`): one line per reply
 * and a summary at the end. Replies are counted from their own lines, so a run cut short by the
 * check's timeout still reports what came back; the summary, when present, adds how many echo
 * requests really left.
 * @module
 */

/** What a ping run produced. RTTs are in ms; `rtt` is absent when nothing came back. */
export interface PingStats {
  /** Echo requests sent (from the summary; the requested count when ping was cut short). */
  sent: number;
  /** Distinct replies (duplicates are not counted twice). */
  received: number;
  /** Lost share of the requests, 0–100. */
  loss: number;
  rtt?: { min: number; avg: number; max: number };
}

const REPLY = /icmp_seq=(\d+).*?time=([\d.]+) ms/;
const SUMMARY = /(\d+) packets transmitted, (\d+) (?:packets )?received/;

/** Parses ping's stdout; `requested` is the `-c` count, used when no summary was printed. */
export function parsePingOutput(stdout: string, requested: number): PingStats {
  const seen = new Set<number>();
  const times: number[] = [];
  for (const line of stdout.split('\n')) {
    if (line.includes('(DUP!)')) continue;
    const reply = REPLY.exec(line);
    if (!reply || seen.has(Number(reply[1]))) continue;
    seen.add(Number(reply[1]));
    times.push(Number(reply[2]));
  }
  const summary = SUMMARY.exec(stdout);
  const sent = summary ? Number(summary[1]) : requested;
  const received = times.length;
  const stats: PingStats = { sent, received, loss: sent > 0 ? round(((sent - Math.min(received, sent)) / sent) * 100) : 100 };
  if (times.length) {
    const total = times.reduce((a, b) => a + b, 0);
    stats.rtt = { min: Math.min(...times), avg: round(total / times.length), max: Math.max(...times) };
  }
  return stats;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Why ping could not run at all, from its stderr; undefined when stderr says nothing we know. */
export function pingProblem(stderr: string): { kind: 'permission' | 'dns' | 'unreachable'; text: string } | undefined {
  const text = stderr.trim().split('\n')[0]?.replace(/^\S*ping: /, '') ?? '';
  if (/Operation not permitted|missing cap_net_raw|Permission denied/i.test(stderr)) return { kind: 'permission', text };
  if (/Name or service not known|Temporary failure in name resolution|No address associated|unknown host/i.test(stderr)) return { kind: 'dns', text };
  if (/Network is unreachable|No route to host|Cannot assign requested address/i.test(stderr)) return { kind: 'unreachable', text };
  return undefined;
}
