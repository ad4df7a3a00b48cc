/**
 * Reading request bodies the same way on every route that takes one: a size cap that answers
 * 413 (PayloadTooLargeError) before the body is buffered, and a JSON reader that names what is
 * wrong with the body.
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BadRequestError, PayloadTooLargeError } from './http-errors.ts';

/** Middleware refusing a body over `maxBytes` with 413. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(maxBytes);
    },
  });
}

/** The request's JSON body; 400 when it is not sent as JSON or does not parse. */
export async function jsonBody(c: Context): Promise<unknown> {
  if (!(c.req.header('content-type') ?? '').includes('application/json')) throw new BadRequestError('body: send JSON with Content-Type: application/json');
  try {
    return await c.req.json();
  } catch (error) {
    throw new BadRequestError('body: is not valid JSON', { cause: error });
  }
}
