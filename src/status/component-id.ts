/**
 * Stable public ids for checks. APIs, badges and page anchors use an id derived from the check
 * name, so it survives restarts and store changes, carries no characters that need escaping in a
 * URL, and does not reveal the name length.
 * @module
 */
import { createHash } from 'node:crypto';

/** Length of a component id: 12 hex chars of SHA-1 (48 bits) is ample for hundreds of checks. */
const COMPONENT_ID_LENGTH = 12;

/** The stable id of the check called `name`: the first 12 hex chars of its SHA-1. */
export function componentId(name: string): string {
  return createHash('sha1').update(name, 'utf8').digest('hex').slice(0, COMPONENT_ID_LENGTH);
}
