/**
 * Renders API Gateway REST mapping templates locally with a real VTL engine (velocityjs) and the
 * slice of API Gateway's template variables the stack's templates use: `$input.params()`
 * (path / querystring / header maps with `keySet()` and `get()`), `$input.body`, `$input.path('$')`,
 * `$context.httpMethod` / `resourcePath` / `stage` / `responseOverride`, and `$util.escapeJavaScript`
 * / `base64Encode`. Behaviour follows AWS's "API Gateway mapping template and access logging
 * variable reference". Not used in production.
 * @module
 */
import { render } from 'velocityjs';

/** A Java-style map as VTL templates see it. */
class VtlMap {
  readonly #entries: Record<string, string>;
  constructor(entries: Record<string, string>) {
    this.#entries = entries;
  }
  keySet(): string[] {
    return Object.keys(this.#entries);
  }
  get(key: string): string | undefined {
    return this.#entries[key];
  }
}

/** A request as API Gateway receives it. */
export interface GatewayRequest {
  method: string;
  /** The matched resource, e.g. `/` or `/{proxy+}`. */
  resourcePath: string;
  stage: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** `$util.escapeJavaScript`: escapes like a JavaScript string literal (including `'`, as AWS does). */
function escapeJavaScript(value: unknown): string {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

const util = {
  escapeJavaScript,
  base64Encode: (value: unknown) => Buffer.from(String(value ?? ''), 'utf8').toString('base64'),
};

/** Runs the request template; returns the text API Gateway would send as the Lambda event. */
export function renderRequestTemplate(template: string, request: GatewayRequest): string {
  const params = {
    path: new VtlMap(request.pathParameters ?? {}),
    querystring: new VtlMap(request.query ?? {}),
    header: new VtlMap(request.headers ?? {}),
  };
  const input = { params: () => params, body: request.body ?? '', json: () => request.body || '{}', path: () => ({}) };
  const context = { httpMethod: request.method, resourcePath: request.resourcePath, stage: request.stage, responseOverride: { header: {} } };
  return render(template, { input, context, util });
}

/** What the client gets after the integration response template ran. */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs the integration response template over the function's return value. */
export function renderResponseTemplate(template: string, lambdaResult: unknown, defaultStatus = 200): GatewayResponse {
  const context: { responseOverride: { status?: number; header: Record<string, string> } } = { responseOverride: { header: {} } };
  const input = { path: (expression: string) => (expression === '$' ? lambdaResult : undefined), json: () => JSON.stringify(lambdaResult) };
  const body = render(template, { input, context, util });
  return { status: context.responseOverride.status ?? defaultStatus, headers: context.responseOverride.header, body };
}
