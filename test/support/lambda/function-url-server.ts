/**
 * A Lambda web handler behind a real local HTTP server, the way a Lambda function URL fronts it:
 * each request becomes a payload 2.0 event (body base64, the peer as `sourceIp`), the handler's
 * result becomes the response. Lets HTTP clients (agents, probe-region checkers) talk to a
 * serverless primary in tests. Not used in production.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (event: unknown) => Promise<unknown>;

interface V2Result {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

export interface FunctionUrlServer {
  url: string;
  /** Requests received, by path. */
  paths: string[];
  close(): Promise<void>;
}

export async function startFunctionUrlServer(handler: Handler): Promise<FunctionUrlServer> {
  const paths: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    paths.push(url.pathname);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      requestContext: {
        domainName: headers.host ?? 'localhost',
        http: { method: req.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
        stage: '$default',
      },
      body: chunks.length ? Buffer.concat(chunks).toString('base64') : undefined,
      isBase64Encoded: chunks.length > 0,
    };
    try {
      const result = (await handler(event)) as V2Result;
      const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
      res.writeHead(result.statusCode, { ...result.headers, ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}) });
      res.end(body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`handler failed: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
