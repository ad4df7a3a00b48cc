/**
 * The shared store contract, one suite per port (store-suites/). A backend's test runs the
 * suites of the ports it implements against a real engine (SQLite file, embedded PostgreSQL,
 * dynalite); the harness type of each suite only accepts a store that has that port:
 *
 *   resultsPortSuite('sqlite', openHarness);
 *   statesPortSuite('sqlite', openHarness);
 *   …
 *
 * `openHarness` is called once per suite and must hand out a store over empty data.
 * @module
 */
export type { OpenHarness, PortHarness } from './store-suites/suite-kit.ts';
export { resultsPortSuite } from './store-suites/results-port-suite.ts';
export { statesPortSuite } from './store-suites/states-port-suite.ts';
export { alertsPortSuite } from './store-suites/alerts-port-suite.ts';
export { credentialsPortSuite } from './store-suites/credentials-port-suite.ts';
export { incidentsPortSuite } from './store-suites/incidents-port-suite.ts';
export { heartbeatsPortSuite } from './store-suites/heartbeats-port-suite.ts';
export { schedulePortSuite } from './store-suites/schedule-port-suite.ts';
