/**
 * Typed errors of the web layer. Routes throw these; the one error handler (error-handler.ts)
 * turns them into a status code plus an HTML error page or a JSON error body.
 * @module
 */

/** An error with an HTTP status and a message that is safe to show to anyone. */
export class HttpError extends Error {
  readonly status: 400 | 401 | 404 | 405 | 409 | 413 | 429 | 500 | 503;
  readonly code: string;
  constructor(status: HttpError['status'], code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
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

/** An admin route was called without a valid admin token (or admin session). */
export class AdminRequiredError extends HttpError {
  constructor(options?: { cause?: unknown }) {
    super(401, 'admin_required', 'This needs an admin token: send "Authorization: Bearer <token>" or sign in at /admin/login.', options);
    this.name = 'AdminRequiredError';
  }
}

/** The request conflicts with the resource's state (e.g. editing an incident declared in config). */
export class ConflictError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(409, 'conflict', message, options);
    this.name = 'ConflictError';
  }
}

/** A request body larger than the route accepts. */
export class PayloadTooLargeError extends HttpError {
  constructor(maxBytes: number, options?: { cause?: unknown }) {
    super(413, 'payload_too_large', `The request body must be at most ${maxBytes} bytes.`, options);
    this.name = 'PayloadTooLargeError';
  }
}

/** Too many failed guesses of a secret from this client; `retryAfterSeconds` says when to try again. */
export class TooManyGuessesError extends HttpError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterMs: number, options?: { cause?: unknown }) {
    super(429, 'too_many_requests', 'Too many wrong tokens from this address. Wait and try again.', options);
    this.name = 'TooManyGuessesError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
