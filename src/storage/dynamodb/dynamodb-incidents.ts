/**
 * Incidents and maintenance on DynamoDB: one item per incident in the `incidents` partition
 * (sk = id), the incident itself kept as JSON. Listing is one Query of that partition, sorted in
 * memory: incidents number in the hundreds over a product's life, not millions.
 * @module
 */
import type { Incident } from '../../domain/incident.ts';
import type { IncidentsPort } from '../ports/incidents-port.ts';
import type { DynamoOps, Item } from './table-client.ts';
import { partitions } from './table-definition.ts';

const parse = (item: Item) => JSON.parse(String(item.d)) as Incident;

/** The incidents port on DynamoDB. */
export function createDynamoIncidents(ops: DynamoOps): IncidentsPort {
  return {
    async saveIncident(incident) {
      await ops.put({
        Item: { name: partitions.incidents, sk: incident.id, createdAt: incident.createdAt, updatedAt: incident.updatedAt, d: JSON.stringify(incident) },
      });
    },

    async getIncident(id) {
      const item = await ops.get({ name: partitions.incidents, sk: id });
      return item ? parse(item) : undefined;
    },

    async listIncidents(options = {}) {
      const since = options.since;
      const items = await ops.query({
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'name' },
        ExpressionAttributeValues: { ':pk': partitions.incidents },
      });
      const incidents = items
        .filter((item) => since === undefined || Number(item.updatedAt) >= since)
        .map(parse)
        .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
      return options.limit === undefined ? incidents : incidents.slice(0, Math.max(0, options.limit));
    },

    async deleteIncident(id) {
      await ops.delete({ Key: { name: partitions.incidents, sk: id } });
    },
  };
}
