/**
 * `upstate silence add|list|expire`: manages alert silences in the configured store
 * (`--store`/`--data`, as `serve` uses), so a silence made here holds on every running instance
 * (each re-reads silences at most every 10 s) and across restarts.
 *
 *   upstate silence add --check api --for 2h --comment "deploy"   [--group G] [--rule down] [--severity critical]
 *   upstate silence list [--all]
 *   upstate silence expire <id>
 * @module
 */
import { userInfo } from 'node:os';
import { loadConfig } from '../../config/load-config.ts';
import { openStore, resolveStoreLocation } from '../../storage/open-store.ts';
import type { Silence } from '../../domain/alert.ts';
import { buildSilence, problemText, silenceInputProblem, silenceInputSchema } from '../../alerting/silence-input.ts';
import type { CommandIo } from '../command-io.ts';

export interface SilenceCommandOptions {
  action?: string;
  id?: string;
  check?: string;
  group?: string;
  rule?: string;
  severity?: string;
  for?: string;
  comment?: string;
  all: boolean;
  config: string;
  data: string;
  store?: string;
}

const USAGE = 'usage: upstate silence add --check NAME|--group NAME|--rule KIND|--severity LEVEL --for 2h --comment TEXT | list [--all] | expire ID';

function describe(silence: Silence, now: number): string {
  const matchers = Object.entries(silence.matchers).map(([k, v]) => `${k}=${v}`).join(',');
  const state = silence.endsAt <= now ? 'ended' : silence.startsAt > now ? 'pending' : 'active';
  return `${silence.id}\t${matchers}\t${new Date(silence.startsAt).toISOString()} → ${new Date(silence.endsAt).toISOString()}\t${state}\t${silence.createdBy}\t${silence.comment}`;
}

export async function silenceCommand(options: SilenceCommandOptions, io: CommandIo): Promise<number> {
  const { action } = options;
  if (action !== 'add' && action !== 'list' && action !== 'expire') {
    io.err(USAGE);
    return 2;
  }
  if (action === 'expire' && !options.id) {
    io.err(USAGE);
    return 2;
  }
  const config = await loadConfig(options.config);
  const now = Date.now();
  let input;
  if (action === 'add') {
    const parsed = silenceInputSchema.safeParse({
      matchers: { check: options.check, group: options.group, rule: options.rule, severity: options.severity },
      for: options.for,
      comment: options.comment ?? '',
    });
    const found = parsed.success
      ? silenceInputProblem(parsed.data, { checks: new Set(config.checks.map((c) => c.name)), groups: new Set(config.checks.flatMap((c) => (c.group ? [c.group] : []))) }, now)
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'silence'}: ${issue.message}`).join('; ');
    const problem = typeof found === 'object' ? problemText(found) : found;
    if (problem) {
      io.err(`${problem}\n${USAGE}`);
      return 2;
    }
    input = parsed.data!;
  }
  const store = await openStore(resolveStoreLocation(options));
  try {
    await store.migrate();
    if (action === 'list') {
      const silences = await store.listSilences(options.all ? {} : { activeAt: now });
      for (const silence of silences) io.out(describe(silence, now));
      if (!silences.length) io.out(options.all ? 'no silences' : 'no running silences');
      return 0;
    }
    if (action === 'expire') {
      const silence = await store.expireSilence(options.id!, now);
      if (!silence) {
        io.err(`no silence with id "${options.id}"`);
        return 1;
      }
      io.out(`expired ${describe(silence, now)}`);
      return 0;
    }
    const silence = buildSilence(input!, now, `cli:${userInfo().username}`);
    await store.saveSilence(silence);
    io.out(`added ${describe(silence, now)}`);
    return 0;
  } finally {
    await store.close();
  }
}
