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
    ...createOutboxItems(ops, alerts.relayStranded),
    ...createSilenceItems(ops),
  };
}
