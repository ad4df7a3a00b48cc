/**
 * The `steps` probe: a multi-step HTTP check (log in, then call, then check). Each step is one
 * run of the http probe — the same connection handling, timings, caps and assertions — with the
 * variables extracted so far substituted into it. All steps share the check's one timeout (the
 * same AbortSignal), the first failing step ends the run, and its failure names the step.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { defineProbe } from '../probe.ts';
import type { Failure, ProbeOutcome } from '../../domain/result.ts';
import { ms } from '../tcp/timed-connect.ts';
import { type HttpConfig } from '../http/http-config.ts';
import { displayUrl } from '../http/display-url.ts';
import { httpProbe } from '../http/http-probe.ts';
import { redact } from '../redact.ts';
import { extract, substitute } from './step-variables.ts';
import { stepLabel, stepsConfigSchema, type StepsConfig } from './steps-config.ts';

/** What `details.steps` keeps per step: enough to see where the time went and what failed. */
interface StepReport {
  name: string;
  ok: boolean;
  statusCode?: number;
  timings?: ProbeOutcome['timings'];
  failure?: Failure;
}

/** The `steps` probe plug-in. */
export const stepsProbe = defineProbe<StepsConfig>({
  kind: 'steps',
  schema: stepsConfigSchema,
  describe: (steps) => `${displayUrl(steps[0].url)}${steps.length > 1 ? ` (+${steps.length - 1} more step${steps.length > 2 ? 's' : ''})` : ''}`,
  async run(steps, ctx): Promise<ProbeOutcome> {
    const startedAt = performance.now();
    const variables = new Map<string, string>();
    const reports: StepReport[] = [];
    const details: Record<string, unknown> = { steps: reports };
    // Extracted values are often tokens: none may appear in a message or a stored detail.
    const hide = (text: string) => redact(text, [...variables.values()]);
    let last: ProbeOutcome | undefined;
    for (const [index, step] of steps.entries()) {
      const label = stepLabel(step, index);
      const { extract: rules, name: _name, ...request } = step;
      const config = substitute(request, variables) as HttpConfig;
      const outcome = ctx.signal.aborted
        ? { ok: false, latencyMs: 0, failure: { class: 'timeout' as const, message: `timed out after ${ctx.timeoutMs} ms before it started` } }
        : await httpProbe.run(config, ctx);
      last = outcome;
      const report: StepReport = { name: step.name ?? `step ${index + 1}`, ok: outcome.ok };
      if (outcome.statusCode !== undefined) report.statusCode = outcome.statusCode;
      if (outcome.timings) report.timings = outcome.timings;
      reports.push(report);
      if (outcome.details?.certificate && !details.certificate) details.certificate = outcome.details.certificate;
      if (!outcome.ok || outcome.failure) {
        const failure = { class: outcome.failure!.class, message: hide(`${label}: ${outcome.failure!.message}`) };
        report.failure = failure;
        return finish(failure);
      }
      for (const [name, rule] of Object.entries(rules ?? {})) {
        const got = extract(rule, { body: outcome.body ?? '', headers: outcome.headers ?? {} });
        if ('why' in got) {
          const failure: Failure = { class: 'body', message: hide(`${label}: could not extract ${name}: ${got.why}`) };
          report.ok = false;
          report.failure = failure;
          return finish(failure);
        }
        variables.set(name, got.value);
      }
    }
    return finish(undefined);

    function finish(failure: Failure | undefined): ProbeOutcome {
      const total = ms(performance.now() - startedAt);
      details.completedSteps = reports.filter((report) => report.ok).length;
      const outcome: ProbeOutcome = { ok: !failure, latencyMs: total, timings: { total }, details };
      if (failure) outcome.failure = failure;
      // Conditions see the last response that arrived (status, headers, body), like a single http check.
      if (last?.statusCode !== undefined) outcome.statusCode = last.statusCode;
      if (last?.headers) outcome.headers = last.headers;
      if (last?.body !== undefined) outcome.body = last.body;
      return outcome;
    }
  },
});
