/**
 * Typed errors of the web layer. Routes throw these; the one error handler (error-handler.ts)
 * turns them into a status code plus an HTML error page or a JSON error body.
 * @module
 */

/** An error with an HTTP status and a message that is safe to show to anyone. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 500 | 503,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/** No such page, check or API route. */
export class NotFoundError extends HttpError {
  constructor(message = 'This page does not exist.', options?: { cause?: unknown }) {
    super(404, 'not_found', message, options);
    this.name = 'NotFoundError';
  }
}

/** The auth header is missing or does not match any configured secret. */
export class UnauthorizedError extends HttpError {
  constructor(options?: { cause?: unknown }) {
    super(401, 'unauthorized', 'This status page is private. Open it through the address your organisation gave you.', options);
    this.name = 'UnauthorizedError';
  }
}

/** A query parameter or path parameter that does not parse. */
export class BadRequestError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, 'bad_request', message, options);
    this.name = 'BadRequestError';
  }
}
