/**
 * The storage interface, in domain words, as role ports declared once in `ports/`:
 *
 * | port        | methods |
 * |-------------|---------|
 * | results     | recordResults, readRecentResults, readResults, readRollups, applyRetention |
 * | states      | readStates |
 * | alerts      | readAlerts, applyAlertTransition(s), claimNotifications, completeNotification, listNotifications |
 * | credentials | saveCredential, findCredential, listCredentials, revokeCredential |
 * | incidents   | saveIncident, getIncident, listIncidents, deleteIncident |
 * | heartbeats  | recordHeartbeat, readLastHeartbeat |
 * | sessions    | createSession, findSession, endSession, pruneSessions |
 * | subscriptions | saveSubscriber, getSubscriber, listConfirmedSubscribers, deleteSubscriber, pruneSubscribers, claimNotice |
 * | schedule    | syncSchedule, claimDueChecks |
 *
 * plus the lifecycle (`migrate`, `close`) every backend has. `Store` is all of them; a backend
 * implements only the ports its modes use: SQLite (embedded) is an `EmbeddedStore`, PostgreSQL
 * (cluster) and DynamoDB (serverless) are full `Store`s. Consumers ask for the slice they use
 * (`Pick<Store, …>` or a port type). Every backend runs the per-port contract suites
 * (test/support/store-suite.ts) for the ports it implements.
 *
 * Rules every implementation keeps:
 * - Reads on the page path never scan raw history: uptime and latency come from rollups.
 * - `recordResults` lands results, their rollups and the new states together: in one transaction
 *   where the engine has them (SQLite, PostgreSQL); on DynamoDB in a crash-safe order (raw
 *   results, then rollups, then states), so a state never points at results that are missing.
 * - Compare-and-set methods (`applyAlertTransition`, `claimDueChecks`, `claimNotifications`) are
 *   safe when several processes call them at once: exactly one caller wins.
 * @module
 */
import type { AlertsPort } from './ports/alerts-port.ts';
import type { CredentialsPort } from './ports/credentials-port.ts';
import type { HeartbeatsPort } from './ports/heartbeats-port.ts';
import type { IncidentsPort } from './ports/incidents-port.ts';
import type { LifecyclePort } from './ports/lifecycle-port.ts';
import type { ResultsPort } from './ports/results-port.ts';
import type { SchedulePort } from './ports/schedule-port.ts';
import type { SessionsPort } from './ports/sessions-port.ts';
import type { StatesPort } from './ports/states-port.ts';
import type { SubscriptionsPort } from './ports/subscriptions-port.ts';

export type { AlertsPort } from './ports/alerts-port.ts';
export type { CredentialsPort } from './ports/credentials-port.ts';
export type { HeartbeatPing, HeartbeatsPort } from './ports/heartbeats-port.ts';
export type { IncidentsPort } from './ports/incidents-port.ts';
export type { LifecyclePort } from './ports/lifecycle-port.ts';
export type { ResultsPort, RetentionPolicy } from './ports/results-port.ts';
export type { ScheduleEntry, SchedulePort } from './ports/schedule-port.ts';
export type { SessionsPort } from './ports/sessions-port.ts';
export type { StatesPort } from './ports/states-port.ts';
export type { Subscriber, SubscriptionsPort } from './ports/subscriptions-port.ts';

/**
 * What embedded mode uses, and all the SQLite backend implements: every port except the shared
 * schedule (the embedded scheduler runs in process).
 */
export interface EmbeddedStore
  extends LifecyclePort, ResultsPort, StatesPort, AlertsPort, CredentialsPort, IncidentsPort, HeartbeatsPort, SessionsPort, SubscriptionsPort {}

/** Every port: what cluster (PostgreSQL) and serverless (DynamoDB) modes use. */
export interface Store extends EmbeddedStore, SchedulePort {}
