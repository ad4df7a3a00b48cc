/**
 * A local SSM Parameter Store + Secrets Manager endpoint for the Lambda config tests: an HTTP
 * server on 127.0.0.1 speaking the services' JSON 1.1 wire protocol (`X-Amz-Target`), used as the
 * real SDK clients' `endpoint`. It serves the parameters and secrets it was given, answers
 * `ParameterNotFound` / `ResourceNotFoundException` like the services do, and records every call
 * (with `WithDecryption`) so tests can check how they were read. Not used in production.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsEndpointCall {
  target: string;
  input: Record<string, unknown>;
  /** Access key id named in the request's SigV4 credential scope. */
  accessKeyId?: string;
}

export interface LocalSecretsEndpoint {
  endpoint: string;
  calls: SecretsEndpointCall[];
  /** The served parameters, live: set or delete entries to change what the next read returns. */
  parameters: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalSecretsEndpoint(data: { parameters?: Record<string, string>; secrets?: Record<string, string> }): Promise<LocalSecretsEndpoint> {
  const parameters = data.parameters ?? {};
  const secrets = data.secrets ?? {};
  const calls: SecretsEndpointCall[] = [];
  const parameter = (name: string) => ({ Name: name, Type: 'SecureString', Value: parameters[name], Version: 1 });

  const answer = (target: string, input: Record<string, any>): [number, Record<string, unknown>] => {
    switch (target) {
      case 'AmazonSSM.GetParameter':
        return input.Name in parameters
          ? [200, { Parameter: parameter(input.Name) }]
          : [400, { __type: 'ParameterNotFound', message: `Parameter ${input.Name} not found.` }];
      case 'AmazonSSM.GetParameters': {
        const names: string[] = input.Names ?? [];
        return [200, { Parameters: names.filter((n) => n in parameters).map(parameter), InvalidParameters: names.filter((n) => !(n in parameters)) }];
      }
      case 'secretsmanager.GetSecretValue':
        return input.SecretId in secrets
          ? [200, { ARN: input.SecretId, Name: input.SecretId, SecretString: secrets[input.SecretId], VersionId: 'v1' }]
          : [400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }];
      default:
        return [400, { __type: 'UnknownOperationException', message: `unsupported ${target}` }];
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      let input: Record<string, unknown> = {};
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // answered as an unknown operation below
      }
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      calls.push({ target, input, accessKeyId });
      const [status, body] = answer(target, input);
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` };
      if (status !== 200) headers['x-amzn-errortype'] = String(body.__type);
      res.writeHead(status, headers).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    parameters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
