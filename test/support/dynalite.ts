/**
 * Starts a real in-memory DynamoDB emulator (the npm `dynalite` server) on 127.0.0.1 for tests.
 * One server per test file is plenty: tables are cheap and the server starts in milliseconds.
 * @module
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The slice of dynalite's options Upstate's tests use (the package ships no types). */
interface DynaliteOptions {
  /** How long a new table stays CREATING; 0 keeps tests fast. */
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options?: DynaliteOptions) => Server;

/** A running local DynamoDB endpoint. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`: hand it to the SDK as `endpoint`. */
  endpoint: string;
  /** Closes every connection and the in-memory database; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts dynalite in memory on a free port of 127.0.0.1. */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        // SDK clients keep sockets alive; without this, close() would wait for them to idle out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return stopped;
    },
  };
}
