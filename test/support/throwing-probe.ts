/**
 * Test support: a probe kind with a bug — `run` throws synchronously, before it could return a
 * promise — for tests that a run that throws is reported, never swallowed.
 * @module
 */
import { z } from 'zod';
import { defineProbe } from '../../src/probes/probe.ts';

/** A probe of kind `kind` whose run throws `error`. */
export function throwingProbe(kind: string, error: Error) {
  return defineProbe({
    kind,
    schema: z.strictObject({}),
    describe: () => kind,
    run: () => {
      throw error;
    },
  });
}
