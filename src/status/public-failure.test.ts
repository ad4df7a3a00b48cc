import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { publicReason, publicTarget } from './public-failure.ts';
import { classifyError } from '../probes/tcp/classify-error.ts';
import { expiryFailure } from '../probes/tls/certificate-facts.ts';

const target = 'https://10.0.3.7:8443/health?api_key=SECRET123';
const errorWith = (code: string) => Object.assign(new Error(`${code} 10.0.3.7:8443`), { code });

describe('publicReason', () => {
  it('turns the probes\' own messages into class-level words that name nothing', () => {
    const cases: [string, string][] = [
      [publicReason(classifyError(errorWith('ENOTFOUND'), { target, host: 'internal.example' })), 'DNS: name does not exist'],
      [publicReason(classifyError(errorWith('ECONNREFUSED'), target)), 'Connection refused'],
      [publicReason(classifyError(errorWith('ETIMEDOUT'), target)), 'Timed out'],
      [publicReason(classifyError(errorWith('ECONNRESET'), target)), 'Connection reset'],
      [publicReason(classifyError(errorWith('CERT_HAS_EXPIRED'), target)), 'TLS certificate expired'],
      [publicReason(expiryFailure({ expiresInMs: -3 * 86_400_000 } as never, 14, target) as never), 'TLS certificate expired'],
      [publicReason({ class: 'status', message: 'status 503, expected 200-399' }), 'HTTP 503'],
      [publicReason({ class: 'status', message: 'grpc NOT_SERVING' }), 'Unexpected status'],
      [publicReason({ class: 'body', message: 'header x-key is "SECRET", expected "a"' }), 'Unexpected response header'],
      [publicReason({ class: 'auth', message: 'login as root@10.0.3.7 refused' }), 'Authentication failed'],
    ];
    for (const [actual, expected] of cases) assert.equal(actual, expected);
  });

  it('drops query string, fragment and credentials from an opted-in target', () => {
    assert.equal(publicTarget('https://user:pw@api.example.com:8443/health?api_key=S#x'), 'https://api.example.com:8443/health');
    assert.equal(publicTarget('db.internal:5432'), 'db.internal:5432');
  });
});
