/**
 * A MySQL-protocol server for probe tests, built on mysql2's own server side (the same packet
 * code its client uses), so the probe is tested against real wire bytes: the handshake with a
 * random scramble, `mysql_native_password` verification, result sets and error packets.
 *
 * It is not a database: it answers a few canned queries (`SELECT 1`, `SELECT VERSION()`, a row
 * count) and, like a real server in a read-only session, refuses writes with error 1792. A real
 * MySQL/MariaDB would need a ~200 MB Debian package and seconds of start-up per test file.
 * @module
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { listenTracked, type Listening } from './hostile/listen.ts';

const require = createRequire(import.meta.url);

export interface MysqlTestServer {
  port: number;
  /** Server version string sent in the handshake. */
  version: string;
  close(): Promise<void>;
}

interface ServerConnection {
  serverHandshake(args: Record<string, unknown>): void;
  on(event: 'query' | 'stmt_prepare', listener: (sql: string) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  writeOk(args?: Record<string, unknown>): void;
  writeError(args: { message: string; code: number }): void;
  writeColumns(columns: Record<string, unknown>[]): void;
  writeTextRow(row: unknown[]): void;
  writeEof(): void;
}

const VERSION = '8.0.99-upstate-test';

const sha1 = (...parts: Buffer[]) => parts.reduce((hash, part) => hash.update(part), createHash('sha1')).digest();

/**
 * mysql_native_password: the client sends SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); the
 * server, knowing SHA1(SHA1(pw)), recovers SHA1(pw) and checks that it hashes to the same.
 */
function verifyNativePassword(scramble: Buffer, token: Buffer, password: string): boolean {
  const stored = sha1(sha1(Buffer.from(password)));
  const mask = sha1(scramble, stored);
  if (token.length !== mask.length) return false;
  const candidate = Buffer.from(token.map((byte, i) => byte ^ mask[i]));
  return sha1(candidate).equals(stored);
}

/** Starts the server on 127.0.0.1; `users` maps user name → password. */
export async function startMysqlTestServer(users: Record<string, string>, databases = ['app']): Promise<MysqlTestServer> {
  const mysql = require('mysql2') as { createServer(): { _server: import('node:net').Server; on(event: 'connection', listener: (conn: ServerConnection) => void): void } };
  const server = mysql.createServer();
  let connectionId = 0;
  server.on('connection', (conn) => {
    conn.on('error', () => {});
    let readOnly = false;
    conn.serverHandshake({
      protocolVersion: 10,
      serverVersion: VERSION,
      connectionId: ++connectionId,
      statusFlags: 2,
      characterSet: 8,
      capabilityFlags: 0xffffff & ~0x800, // everything but CLIENT_SSL: this server has no TLS
      authCallback: (params: { user: string; database: string; authPluginData1: Buffer; authPluginData2: Buffer; authToken: Buffer }, callback: (err: null, error?: { message: string; code: number }) => void) => {
        const password = users[params.user];
        const ok = password !== undefined && (password === '' ? params.authToken.length === 0 : params.authToken.length > 0 && verifyNativePassword(Buffer.concat([params.authPluginData1, params.authPluginData2]), params.authToken, password));
        if (!ok) return callback(null, { message: `Access denied for user '${params.user}'@'127.0.0.1' (using password: ${params.authToken.length ? 'YES' : 'NO'})`, code: 1045 });
        if (params.database && !databases.includes(params.database)) return callback(null, { message: `Unknown database '${params.database}'`, code: 1049 });
        callback(null);
      },
    });
    const one = (name: string, value: unknown, columnType = 8) => {
      conn.writeColumns([{ catalog: 'def', schema: '', table: '', orgTable: '', name, orgName: name, characterSet: 63, columnLength: 21, columnType, flags: 0, decimals: 0 }]);
      conn.writeTextRow([value]);
      conn.writeEof();
    };
    // mysql2's server side routes statements starting with SET or PREPARE to 'stmt_prepare'
    const answer = (sql: string) => {
      const text = sql.trim().replace(/;$/, '').toUpperCase();
      if (text === 'SET SESSION TRANSACTION READ ONLY') {
        readOnly = true;
        return conn.writeOk();
      }
      if (text === 'SELECT 1') return one('1', '1');
      if (text === 'SELECT VERSION()') return one('VERSION()', VERSION, 253);
      if (text === 'SELECT COUNT(*) FROM JOBS') return one('COUNT(*)', '3');
      if (text === 'SELECT BIG') return one('big', 'x'.repeat(3_000_000), 251);
      if (/^(INSERT|UPDATE|DELETE|CREATE|DROP)\b/.test(text)) {
        if (readOnly) return conn.writeError({ message: 'Cannot execute statement in a READ ONLY transaction.', code: 1792 });
        return conn.writeOk({ affectedRows: 1 });
      }
      conn.writeError({ message: `You have an error in your SQL syntax near '${sql.slice(0, 20)}'`, code: 1064 });
    };
    conn.on('query', answer);
    conn.on('stmt_prepare', answer);
  });
  // mysql2's server writes a result set as several packets: without this, Nagle + delayed ACK add ~40 ms
  server._server.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
  const listening: Listening = await listenTracked(server._server);
  return { port: listening.port, version: VERSION, close: listening.close };
}
