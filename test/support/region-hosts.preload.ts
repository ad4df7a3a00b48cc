/**
 * Test support, loaded only by process tests (`node --import <this file>`): gives a
 * process its own view of the network, as a probe in another region has. Host names listed for
 * this process's region in the JSON file `UPSTATE_TEST_HOSTS_FILE` (`{ region: { host: ip } }`)
 * resolve to the given address; everything else resolves normally. The file is re-read on every
 * lookup, so a test can cut one region off a target while its agent keeps running.
 * @module
 */
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const file = process.env.UPSTATE_TEST_HOSTS_FILE;
const region = process.env.UPSTATE_TEST_REGION ?? 'local';
const original = dns.lookup;

function addressFor(hostname: string): string | undefined {
  if (!file) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)[region]?.[hostname];
  } catch {
    return undefined;
  }
}

// node:dns's lookup has several overloads; this wrapper keeps them all by passing through
(dns as { lookup: unknown }).lookup = function lookup(hostname: string, options: unknown, callback?: unknown) {
  const address = addressFor(hostname);
  if (!address) return (original as (...args: unknown[]) => void).call(dns, hostname, options, callback);
  const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
  process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)));
};
syncBuiltinESMExports();
