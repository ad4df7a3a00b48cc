/**
 * Runs the hostile fixtures (hostile-servers.ts) in a child process. Their work — TLS
 * handshakes, a 100 MB stream, dribbling timers for dozens of connections — then uses that
 * process's event loop, so it cannot delay the probes under test and turn a healthy answer into
 * a timeout when the machine is busy. The returned value has the same shape as
 * `startHostileServers()`; `close()` ends the child.
 * @module
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { HostileServers } from './hostile-servers.ts';
import { loadTestCerts } from './test-certs.ts';

const CHILD = fileURLToPath(new URL('./hostile-process-child.ts', import.meta.url));

/** What the child reports once every fixture listens. */
export type HostileAddresses = Omit<HostileServers, 'certs' | 'close'>;

/** Starts the fixtures in a child process and resolves once they all listen. */
export async function startHostileProcess(options: { slowlorisIntervalMs?: number } = {}): Promise<HostileServers> {
  // execArgv: [] — never inherit the test runner's own flags into the fixture process.
  const child = fork(CHILD, [JSON.stringify(options)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const addresses = await new Promise<HostileAddresses>((resolve, reject) => {
    child.once('message', (message) => resolve(message as HostileAddresses));
    child.once('error', reject);
    void exited.then(([code, signal]) => reject(new Error(`the hostile fixture process exited (${code ?? signal}) before it listened`)));
  });
  return {
    ...addresses,
    certs: loadTestCerts(),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect(); // the child closes its servers and exits when the channel goes
        await exited;
      }
    },
  };
}
