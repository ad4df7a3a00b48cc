/**
 * The alerts port on DynamoDB: alert records (alert-items.ts), whose conditional update parks a
 * transition's notifications in the alert item, and the outbox (outbox-items.ts), which relays
 * parked notifications before each claim so a crash between the two never loses a message.
 * @module
 */
import type { AlertsPort } from '../ports/alerts-port.ts';
import { createAlertItems } from './alert-items.ts';
import { createOutboxItems } from './outbox-items.ts';
import { createSilenceItems } from './silence-items.ts';
import type { DynamoOps } from './table-client.ts';

/** The alerts port on DynamoDB. */
export function createDynamoAlerts(ops: DynamoOps): AlertsPort {
  const alerts = createAlertItems(ops);
  return {
    readAlerts: alerts.readAlerts,
    applyAlertTransition: alerts.applyAlertTransition,
    // DynamoDB has no transaction that lets one condition fail and the rest commit: one
    // conditional update per alert, as before (each is still atomic with its notifications)
    async applyAlertTransitions(transitions) {
      const applied: boolean[] = [];
      for (const transition of transitions) applied.push(await alerts.applyAlertTransition(transition));
      return applied;
    },
    ...createOutboxItems(ops, alerts.relayStranded),
    ...createSilenceItems(ops),
  };
}
