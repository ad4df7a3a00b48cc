/**
 * A local SNS endpoint for the SNS channel's tests: an HTTP server used as the SDK's `endpoint`.
 * It verifies each request's AWS Signature V4 against the test credentials (recomputing it, not
 * just checking its shape), accepts only `Action=Publish` with a `TopicArn`, records it and
 * answers with the Publish XML the SDK parses.
 * @module
 */
import { createServer } from 'node:http';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  message: string;
  /** All form parameters as sent (MessageAttributes.entry.N.* included). */
  params: Record<string, string>;
  messageId: string;
  /** Access key id named in the signature's credential scope. */
  accessKeyId: string;
  region: string;
}

export interface SnsReceiver {
  endpoint: string;
  published: PublishedMessage[];
  /** Requests refused (bad signature, wrong action, …), with the reason. */
  rejected: string[];
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** Recomputes the SigV4 signature of a request; returns a reason when it does not match. */
export function verifySigV4(
  request: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: Buffer },
  secrets: Record<string, string>,
): { ok: true; accessKeyId: string; region: string; service: string } | { ok: false; reason: string } {
  const authorization = String(request.headers.authorization ?? '');
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return { ok: false, reason: `not an AWS4-HMAC-SHA256 Authorization header: ${authorization.slice(0, 60)}` };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  const secret = secrets[accessKeyId];
  if (!secret) return { ok: false, reason: `unknown access key ${accessKeyId}` };
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date)) return { ok: false, reason: 'x-amz-date does not match the credential scope' };
  const [path, query = ''] = request.path.split('?');
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .sort()
    .join('&');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? sha256(request.body));
  const canonicalRequest = [request.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  if (expected !== signature) return { ok: false, reason: 'signature does not match' };
  return { ok: true, accessKeyId, region, service };
}

function xmlError(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

/** Starts the endpoint; `credentials` maps access key ids to their secrets. */
export async function startSnsReceiver(credentials: Record<string, string>): Promise<SnsReceiver> {
  const published: PublishedMessage[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refuse = (status: number, code: string, reason: string) => {
        rejected.push(reason);
        res.writeHead(status, { 'content-type': 'text/xml' }).end(xmlError(code, reason));
      };
      const verified = verifySigV4({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body }, credentials);
      if (!verified.ok) return refuse(403, 'SignatureDoesNotMatch', verified.reason);
      if (verified.service !== 'sns') return refuse(400, 'InvalidAction', `signed for service ${verified.service}`);
      const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      if (params.Action !== 'Publish') return refuse(400, 'InvalidAction', `unexpected action ${params.Action}`);
      if (!params.TopicArn || !params.Message) return refuse(400, 'InvalidParameter', 'TopicArn and Message are required');
      const messageId = randomUUID();
      published.push({
        topicArn: params.TopicArn,
        subject: params.Subject,
        message: params.Message,
        params,
        messageId,
        accessKeyId: verified.accessKeyId,
        region: verified.region,
      });
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    rejected,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
