/**
 * Entry of the hostile fixture process (see hostile-process.ts): starts every fixture, sends
 * their addresses to the parent, and closes them when the parent disconnects or goes away.
 * @module
 */
import { startHostileServers } from './hostile-servers.ts';
import type { HostileAddresses } from './hostile-process.ts';

const servers = await startHostileServers(JSON.parse(process.argv[2] ?? '{}') as { slowlorisIntervalMs?: number });
const { certs: _certs, close, ...addresses } = servers;
process.send?.(addresses satisfies HostileAddresses);
process.once('disconnect', () => void close().finally(() => process.exit(0)));
