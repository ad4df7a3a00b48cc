/**
 * `upstate notify test <channel> --config FILE`: sends a test message through one configured
 * channel, directly (not through the outbox), and prints the outcome. Exit 0 when delivered,
 * 1 when the channel failed, 2 for an unknown channel. Touches no store.
 * @module
 */
import { loadConfig } from '../../config/load-config.ts';
import { createAlerting } from '../../alerting/create-alerting.ts';
import { createResultBus } from '../../kernel/result-bus.ts';
import { systemClock } from '../../kernel/clock.ts';
import type { Store } from '../../storage/store.ts';
import type { CommandIo } from '../command-io.ts';

export async function notifyCommand(options: { config: string; action?: string; channel?: string }, io: CommandIo): Promise<number> {
  if (options.action !== 'test' || !options.channel) {
    io.err('usage: upstate notify test <channel> --config FILE');
    return 2;
  }
  const config = await loadConfig(options.config);
  const channels = Object.keys(config.notifiers);
  if (!channels.includes(options.channel)) {
    io.err(`unknown channel "${options.channel}"; configured: ${channels.join(', ') || '(none)'}`);
    return 2;
  }
  const alerting = createAlerting({
    alerts: config.alerts,
    channels: config.notifiers,
    checks: config.checks,
    // a direct test send never reads or writes the outbox
    store: unusedStore(),
    bus: createResultBus(),
    clock: systemClock,
    isInMaintenance: () => false,
  });
  const outcome = await alerting.sendTest(options.channel);
  if (outcome.ok) io.out(`${options.channel}: delivered in ${Math.round(outcome.ms)} ms`);
  else io.err(`${options.channel}: failed after ${Math.round(outcome.ms)} ms — ${outcome.error}`);
  return outcome.ok ? 0 : 1;
}

function unusedStore(): Store {
  return new Proxy({} as Store, {
    get(_target, name) {
      return () => Promise.reject(new Error(`notify test does not use the store (called ${String(name)})`));
    },
  });
}
