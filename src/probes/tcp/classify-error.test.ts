import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError, classOfCode, errorCode } from './classify-error.ts';
import { ProbeFailure } from './probe-failure.ts';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it('maps Node, OpenSSL and undici codes to classes', () => {
    const expected: Record<string, string> = {
      ENOTFOUND: 'dns', EAI_AGAIN: 'dns', ECONNREFUSED: 'refused', EHOSTUNREACH: 'refused', ECONNRESET: 'reset', EPIPE: 'reset',
      UND_ERR_SOCKET: 'reset', CERT_HAS_EXPIRED: 'tls', DEPTH_ZERO_SELF_SIGNED_CERT: 'tls', ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
      ERR_SSL_WRONG_VERSION_NUMBER: 'tls', HPE_INVALID_CONSTANT: 'protocol', UND_ERR_HEADERS_TIMEOUT: 'timeout',
      UND_ERR_BODY_TIMEOUT: 'timeout', UND_ERR_CONNECT_TIMEOUT: 'timeout', ABORT_ERR: 'timeout', ETIMEDOUT: 'timeout',
    };
    for (const [code, failureClass] of Object.entries(expected)) assert.equal(classOfCode(code), failureClass, code);
    assert.equal(classOfCode('ESOMETHINGELSE'), undefined);
  });

  it('finds codes inside AggregateError and causes', () => {
    assert.equal(errorCode(new AggregateError([withCode('ECONNREFUSED'), withCode('EHOSTUNREACH')])), 'ECONNREFUSED');
    assert.equal(errorCode(new Error('outer', { cause: withCode('ECONNRESET') })), 'ECONNRESET');
  });

  it('writes messages naming the target and the cause', () => {
    assert.deepEqual(classifyError(withCode('ENOTFOUND'), { target: 'http://nope.test/', host: 'nope.test' }), { class: 'dns', message: 'could not resolve nope.test (ENOTFOUND)' });
    assert.deepEqual(classifyError(withCode('ECONNRESET', 'read ECONNRESET'), { target: 'db:5432', during: 'reading the body' }), {
      class: 'reset',
      message: 'connection to db:5432 was closed or reset by the peer while reading the body: read ECONNRESET',
    });
    assert.equal(classifyError(withCode('ENOTFOUND'), { target: 'x:1', host: 'x', family: 6 }).message, 'could not resolve x to an IPv6 address (ENOTFOUND)');
    const openssl = withCode('ERR_SSL_WRONG_VERSION_NUMBER', '80DB:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl3_record.c:354:\n');
    assert.equal(classifyError(openssl, 'web:443').message, 'TLS with web:443 failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)');
    assert.equal(classifyError(new Error('weird'), 'x:1').class, 'protocol');
  });

  it('keeps a ProbeFailure as it is', () => {
    assert.deepEqual(classifyError(new ProbeFailure('body', 'no banner'), 'x:1'), { class: 'body', message: 'no banner' });
  });
});
