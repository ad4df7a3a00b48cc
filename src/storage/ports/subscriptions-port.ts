/**
 * The subscriptions port: people who asked for email about incidents and maintenance. A
 * subscriber's id is derived from the address (see subscriptions/subscriber-id.ts), so looking
 * one up by address is a key read on every backend. Confirmation tokens are stored only as their
 * SHA-256. Addresses are private: nothing public reads this port.
 * @module
 */

/** One email subscriber. */
export interface Subscriber {
  /** Hex id derived from the normalised address: one record per address. */
  id: string;
  /** The normalised (trimmed, lower-cased) address. */
  email: string;
  /** Check names chosen; empty with empty `groups` means everything. */
  checks: string[];
  /** Group names chosen: every check of the group, including checks added later. */
  groups: string[];
  /** False until the address confirmed the sign-up (double opt-in). */
  confirmed: boolean;
  /** Hex SHA-256 of the pending confirmation token (absent once confirmed). */
  confirmHash?: string;
  /** Epoch ms after which an unconfirmed sign-up is void and may be pruned. */
  confirmExpiresAt?: number;
  /**
   * The token of this subscriber's unsubscribe links. Kept as is, not hashed: every email must
   * carry it, and all it can do is end this one subscription.
   */
  unsubscribeToken: string;
  createdAt: number;
  confirmedAt?: number;
}

/** How long a notice claim is kept. */
export const NOTICE_CLAIM_TTL_MS = 30 * 86_400_000;

/** Email subscribers. */
export interface SubscriptionsPort {
  /** Inserts or replaces a subscriber by id. */
  saveSubscriber(subscriber: Subscriber): Promise<void>;
  getSubscriber(id: string): Promise<Subscriber | undefined>;
  /** Every confirmed subscriber (the recipients of a notice). */
  listConfirmedSubscribers(): Promise<Subscriber[]>;
  /** Removes a subscriber (unsubscribe). Removing one that does not exist is not an error. */
  deleteSubscriber(id: string): Promise<void>;
  /**
   * Deletes unconfirmed sign-ups whose confirmation expired at or before `now`, and notice claims
   * older than 30 days; returns how many sign-ups.
   */
  pruneSubscribers(now: number): Promise<number>;
  /**
   * Claims the notice `key` (e.g. `maintenance-started:<id>`): true for exactly one caller, across
   * instances and restarts, so a notice that several paths may see is sent once.
   */
  claimNotice(key: string, at: number): Promise<boolean>;
}
