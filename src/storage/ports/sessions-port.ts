/**
 * The sessions port: signed-in admin sessions, stored so that logging out ends a session on
 * every instance at once. Only the SHA-256 of a session id is stored; the id itself lives in the
 * visitor's cookie, so a copy of the store cannot be replayed as a cookie.
 * @module
 */

/** One admin session. */
export interface Session {
  /** Hex SHA-256 of the session id the cookie carries. */
  idHash: string;
  /** Whose session it is (the admin token's name plus a tag of that token, see admin-auth.ts). */
  subject: string;
  createdAt: number;
  /** Epoch ms after which the session is no longer valid. */
  expiresAt: number;
}

/** Server-side admin sessions. */
export interface SessionsPort {
  /** Stores a new session. */
  createSession(session: Session): Promise<void>;
  /** The session with this id hash if it exists and `now` is before its expiry; else undefined. */
  findSession(idHash: string, now: number): Promise<Session | undefined>;
  /** Ends a session (logout). Ending one that does not exist is not an error. */
  endSession(idHash: string): Promise<void>;
  /** Deletes sessions that expired at or before `now`; returns how many. */
  pruneSessions(now: number): Promise<number>;
}
