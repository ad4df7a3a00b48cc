/**
 * The shared store contract, one suite per port (store-suites/). A backend's test runs the
 * suites of the ports it implements against a real engine (SQLite file, embedded PostgreSQL,
 * dynalite); the harness type of each suite only accepts a store that has that port. The two
 * store shapes have a runner each, so every backend of a shape runs the same suites:
 *
 *   embeddedStoreSuites('sqlite', openHarness);   // every port but the shared schedule
 *   storeSuites('postgres', openHarness);         // every port
 *
 * `openHarness` is called once per suite and must hand out a store over empty data.
 * @module
 */
import type { EmbeddedStore, Store } from '../../src/storage/store.ts';
import { alertsPortSuite } from './store-suites/alerts-port-suite.ts';
import { credentialsPortSuite } from './store-suites/credentials-port-suite.ts';
import { heartbeatsPortSuite } from './store-suites/heartbeats-port-suite.ts';
import { incidentsPortSuite } from './store-suites/incidents-port-suite.ts';
import { resultsPortSuite } from './store-suites/results-port-suite.ts';
import { schedulePortSuite } from './store-suites/schedule-port-suite.ts';
import { sessionsPortSuite } from './store-suites/sessions-port-suite.ts';
import { statesPortSuite } from './store-suites/states-port-suite.ts';
import { subscriptionsPortSuite } from './store-suites/subscriptions-port-suite.ts';
import type { OpenHarness } from './store-suites/suite-kit.ts';

export type { OpenHarness, PortHarness } from './store-suites/suite-kit.ts';

/** Runs the suite of every port an `EmbeddedStore` has (all but the shared schedule). */
export function embeddedStoreSuites(name: string, open: OpenHarness<EmbeddedStore>): void {
  resultsPortSuite(name, open);
  statesPortSuite(name, open);
  alertsPortSuite(name, open);
  credentialsPortSuite(name, open);
  incidentsPortSuite(name, open);
  heartbeatsPortSuite(name, open);
  sessionsPortSuite(name, open);
  subscriptionsPortSuite(name, open);
}

/** Runs the suite of every port of a full `Store`. */
export function storeSuites(name: string, open: OpenHarness<Store>): void {
  embeddedStoreSuites(name, open);
  schedulePortSuite(name, open);
}
