/**
 * Starts every hostile fixture on 127.0.0.1 (ephemeral ports) for probe tests and the soak
 * helper, and closes them all with one `close()`.
 * @module
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { hostileHttpHandler } from './hostile-http-handler.ts';
import { startBanner, startGarbage, startSilent, startSlowloris } from './hostile-raw.ts';
import { closedPort, listenTracked, type Listening } from './listen.ts';
import { loadTestCerts, type KeyPair, type TestCerts } from './test-certs.ts';
import { closedUdpPort, startUdpEcho, startUdpGarbage, startUdpSilent } from './hostile-udp.ts';

export interface HostileServers {
  /** `http://127.0.0.1:<port>` serving the paths in HOSTILE_PATHS. */
  http: string;
  /** HTTPS origins with the same paths; `valid` is trusted only with `certs.ca`. */
  https: { valid: string; expired: string; selfSigned: string; wrongHost: string };
  /** Ports of the same HTTPS servers, for tls/tcp checks. */
  tlsPorts: { valid: number; expired: number; selfSigned: number; wrongHost: number };
  /** Raw TCP fixtures (ports on 127.0.0.1). */
  ports: { slowloris: number; garbage: number; silent: number; banner: number; closed: number };
  /** UDP fixtures (ports on 127.0.0.1): echo answers `PONG <payload>`. */
  udpPorts: { echo: number; silent: number; garbage: number; closed: number };
  certs: TestCerts;
  close(): Promise<void>;
}

/** Starts all fixtures; `slowlorisIntervalMs` defaults to one byte per second. */
export async function startHostileServers(options: { slowlorisIntervalMs?: number } = {}): Promise<HostileServers> {
  const certs = loadTestCerts();
  const started: Listening[] = [];
  const track = async (listening: Promise<Listening>) => {
    const value = await listening;
    started.push(value);
    return value.port;
  };
  const https = (pair: KeyPair) => track(listenTracked(createHttpsServer({ ...pair }, hostileHttpHandler)));
  try {
    const httpPort = await track(listenTracked(createHttpServer(hostileHttpHandler)));
    const tlsPorts = {
      valid: await https(certs.valid),
      expired: await https(certs.expired),
      selfSigned: await https(certs.selfSigned),
      wrongHost: await https(certs.wrongHost),
    };
    const ports = {
      slowloris: await track(startSlowloris(options.slowlorisIntervalMs)),
      garbage: await track(startGarbage()),
      silent: await track(startSilent()),
      banner: await track(startBanner()),
      closed: await closedPort(() => createNetServer()),
    };
    const udpPorts = {
      echo: await track(startUdpEcho()),
      silent: await track(startUdpSilent()),
      garbage: await track(startUdpGarbage()),
      closed: await closedUdpPort(),
    };
    const origin = (port: number) => `https://127.0.0.1:${port}`;
    return {
      http: `http://127.0.0.1:${httpPort}`,
      https: { valid: origin(tlsPorts.valid), expired: origin(tlsPorts.expired), selfSigned: origin(tlsPorts.selfSigned), wrongHost: origin(tlsPorts.wrongHost) },
      tlsPorts,
      ports,
      udpPorts,
      certs,
      close: async () => void (await Promise.all(started.map((server) => server.close()))),
    };
  } catch (err) {
    await Promise.all(started.map((server) => server.close()));
    throw new Error('could not start the hostile fixture servers', { cause: err });
  }
}
