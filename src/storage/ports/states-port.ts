/**
 * The states port: the current confirmed state of every check. States are written by
 * `ResultsPort.recordResults` together with the results that produced them, so this port only reads.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';

/** Current check states. */
export interface StatesPort {
  /**
   * Current state of every check that has one; with `checks`, of those checks (a cluster reads
   * the few checks a commit or a notice names, not the whole table). A backend that reads every
   * state anyway (SQLite, DynamoDB) may return more: callers pick their checks by name. Every
   * call returns new objects, the caller's to keep or change (nothing the store holds); the one
   * view that shares them, `withStartUpStates`, says what its readers may do.
   */
  readStates(checks?: readonly string[]): Promise<CheckState[]>;
}
