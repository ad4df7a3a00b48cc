/**
 * Gatus's PostgreSQL storage for the importer tests: the endpoint tables of Gatus's
 * storage/store/sql PostgreSQL schema (BIGSERIAL ids, BOOLEAN success, BIGINT counters,
 * TIMESTAMP without time zone holding UTC wall time, as Gatus writes `time.Time` values in UTC),
 * filled with the same rows as the SQLite fixture.
 * @module
 */
import pg from 'pg';
import { gatusStorageRows } from './gatus-fixture.ts';

const SCHEMA = `
CREATE TABLE suites (suite_id BIGSERIAL PRIMARY KEY, suite_key TEXT UNIQUE, suite_name TEXT NOT NULL, suite_group TEXT NOT NULL, UNIQUE(suite_name, suite_group));
CREATE TABLE suite_results (suite_result_id BIGSERIAL PRIMARY KEY, suite_id BIGINT NOT NULL REFERENCES suites(suite_id) ON DELETE CASCADE, success BOOLEAN NOT NULL, errors TEXT NOT NULL, duration BIGINT NOT NULL, timestamp TIMESTAMP NOT NULL);
CREATE TABLE endpoints (endpoint_id BIGSERIAL PRIMARY KEY, endpoint_key TEXT UNIQUE, endpoint_name TEXT NOT NULL, endpoint_group TEXT NOT NULL, UNIQUE(endpoint_name, endpoint_group));
CREATE TABLE endpoint_events (endpoint_event_id BIGSERIAL PRIMARY KEY, endpoint_id BIGINT NOT NULL REFERENCES endpoints(endpoint_id) ON DELETE CASCADE, event_type TEXT NOT NULL, event_timestamp TIMESTAMP NOT NULL);
CREATE TABLE endpoint_results (
  endpoint_result_id BIGSERIAL PRIMARY KEY, endpoint_id BIGINT NOT NULL REFERENCES endpoints(endpoint_id) ON DELETE CASCADE,
  success BOOLEAN NOT NULL, state TEXT NOT NULL, errors TEXT NOT NULL, connected BOOLEAN NOT NULL, status BIGINT NOT NULL, dns_rcode TEXT NOT NULL,
  certificate_expiration BIGINT NOT NULL, domain_expiration BIGINT NOT NULL, hostname TEXT NOT NULL, ip TEXT NOT NULL, duration BIGINT NOT NULL,
  timestamp TIMESTAMP NOT NULL, suite_result_id BIGINT REFERENCES suite_results(suite_result_id) ON DELETE CASCADE
);
CREATE TABLE endpoint_result_conditions (endpoint_result_condition_id BIGSERIAL PRIMARY KEY, endpoint_result_id BIGINT NOT NULL REFERENCES endpoint_results(endpoint_result_id) ON DELETE CASCADE, condition TEXT NOT NULL, success BOOLEAN NOT NULL);
CREATE TABLE endpoint_uptimes (endpoint_uptime_id BIGSERIAL PRIMARY KEY, endpoint_id BIGINT NOT NULL REFERENCES endpoints(endpoint_id) ON DELETE CASCADE, hour_unix_timestamp BIGINT NOT NULL, total_executions BIGINT NOT NULL, successful_executions BIGINT NOT NULL, total_response_time BIGINT NOT NULL, UNIQUE(endpoint_id, hour_unix_timestamp));
CREATE TABLE endpoint_alerts_triggered (endpoint_alert_trigger_id BIGSERIAL PRIMARY KEY, endpoint_id BIGINT NOT NULL REFERENCES endpoints(endpoint_id) ON DELETE CASCADE, configuration_checksum TEXT NOT NULL, resolve_key TEXT NOT NULL, number_of_successes_in_a_row INTEGER NOT NULL, UNIQUE(endpoint_id, configuration_checksum));
`;

/** UTC wall time, as a TIMESTAMP column holds what Gatus wrote. */
const wallTime = (at: number) => new Date(at).toISOString().replace('T', ' ').replace('Z', '');

/** Creates Gatus's schema in the database at `url` and fills it; returns the endpoint ids by `group/name`. */
export async function createGatusPostgresStorage(url: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ids = new Map<string, string>();
  try {
    await client.query('BEGIN');
    await client.query(SCHEMA);
    const rows = gatusStorageRows();
    const idOf = new Map<number, string>();
    for (const e of rows.endpoints) {
      // ids come from BIGSERIAL (pg returns BIGINT as text), not from the fixture's numbering
      const { rows: [row] } = await client.query('INSERT INTO endpoints (endpoint_key, endpoint_name, endpoint_group) VALUES ($1, $2, $3) RETURNING endpoint_id', [e.key, e.name, e.group]);
      idOf.set(e.id, String(row.endpoint_id));
      ids.set(`${e.group}/${e.name}`, String(row.endpoint_id));
    }
    for (const u of rows.uptimes) {
      await client.query('INSERT INTO endpoint_uptimes (endpoint_id, hour_unix_timestamp, total_executions, successful_executions, total_response_time) VALUES ($1, $2, $3, $4, $5)', [idOf.get(u.endpointId), u.hourUnix, u.total, u.ok, u.responseTime]);
    }
    for (const r of rows.results) {
      const { rows: [row] } = await client.query(
        `INSERT INTO endpoint_results (endpoint_id, success, state, errors, connected, status, dns_rcode, certificate_expiration, domain_expiration, hostname, ip, duration, timestamp)
         VALUES ($1, $2, $3, $4, true, $5, '', 0, 0, '127.0.0.1', '127.0.0.1', $6, $7::timestamp) RETURNING endpoint_result_id`,
        [idOf.get(r.endpointId), r.ok, r.ok ? 'healthy' : 'unhealthy', r.errors, r.status, r.durationNs, wallTime(r.at)],
      );
      await client.query('INSERT INTO endpoint_result_conditions (endpoint_result_id, condition, success) VALUES ($1, $2, $3)', [row.endpoint_result_id, '[STATUS] == 200', r.ok]);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return ids;
}
