/**
 * The states port: the current confirmed state of every check. States are written by
 * `ResultsPort.recordResults` together with the results that produced them, so this port only reads.
 * @module
 */
import type { CheckState } from '../../domain/status.ts';

/** Current check states. */
export interface StatesPort {
  /** Current state of every check that has one. */
  readStates(): Promise<CheckState[]>;
}
