/**
 * The `http` probe plug-in: the config schema (http-config.ts, its output rebuilt as one literal)
 * and the run (http-run.ts, which
 * the lazy registry loads alone).
 * @module
 */
import { defineProbe } from '../probe.ts';
import { httpConfigLiteral, httpConfigSchema, type HttpConfig } from './http-config.ts';
import { httpRun } from './http-run.ts';

/** The `http` probe plug-in. */
export const httpProbe = defineProbe<HttpConfig>({ kind: 'http', schema: httpConfigSchema.transform(httpConfigLiteral), ...httpRun });
