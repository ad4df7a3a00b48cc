/**
 * The slices of AWS Lambda's event, context and result shapes that Upstate's handlers read and
 * write. Written here (like the SDK slices elsewhere) instead of depending on `@types/aws-lambda`:
 * every field is optional or nullable because real events omit keys and send `null` maps (the
 * API Gateway console's "Test" button sends `headers: null`).
 * @module
 */

/** String map as API Gateway sends it: absent, `null`, or values that may themselves be null. */
export type NullableMap<T = string> = Record<string, T | null | undefined> | null | undefined;

/** REST API (payload 1.0) proxy integration event. */
export interface RestProxyEvent {
  version?: string;
  httpMethod: string;
  path?: string | null;
  resource?: string | null;
  headers?: NullableMap;
  multiValueHeaders?: NullableMap<string[]>;
  queryStringParameters?: NullableMap;
  multiValueQueryStringParameters?: NullableMap<string[]>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { stage?: string; path?: string; domainName?: string; requestId?: string } | null;
}

/** HTTP API or Lambda function URL (payload 2.0) event. */
export interface HttpV2Event {
  version: '2.0';
  rawPath?: string;
  rawQueryString?: string;
  cookies?: string[] | null;
  headers?: NullableMap;
  body?: string | null;
  isBase64Encoded?: boolean;
  routeKey?: string;
  requestContext: { http: { method: string; path?: string }; stage?: string; domainName?: string; requestId?: string };
}

/**
 * Non-proxy (`Type: AWS`) integration event, i.e. whatever a request mapping template built. The
 * common templates pass `method`, `body` (parsed JSON) and `headers`; the path arrives as a string
 * (`path`, `resourcePath`, `requestPath`) or as a map of path parameters, the query as `query` or
 * `querystring`.
 */
export interface NonProxyEvent {
  method: string;
  body?: unknown;
  headers?: NullableMap;
  path?: string | NullableMap;
  resourcePath?: string;
  requestPath?: string;
  query?: NullableMap;
  querystring?: NullableMap;
  stage?: string;
  /** The raw body, base64 (`$util.base64Encode($input.body)`): form posts survive unparsed. */
  bodyBase64?: string;
  /** Answer with a `NonProxyEnvelope` (status and headers for the response template), not the bare body. */
  envelope?: boolean;
}

/**
 * The non-proxy answer when the request template asks for it (`"envelope": true`): the
 * integration response template of deploy/aws/template.yaml copies `status` into
 * `$context.responseOverride.status` and the headers into `$context.responseOverride.header`,
 * so a 401 reaches the client as a 401. Absent headers are empty strings (simple VTL tests).
 */
export interface NonProxyEnvelope {
  status: number;
  contentType: string;
  cacheControl: string;
  etag: string;
  lastModified: string;
  location: string;
  body: string;
  isBase64Encoded: boolean;
}

/** The slice of the Lambda context the handlers use. */
export interface LambdaContext {
  awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

/** The proxy integration result (REST API 1.0, HTTP API 2.0, function URLs). */
export interface ProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  /** REST API: every `Set-Cookie` (a plain header map can hold only one). */
  multiValueHeaders?: Record<string, string[]>;
  /** Payload 2.0: cookies are returned in their own list. */
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** Which event shape a request arrived in; decides the shape of the answer. */
export type EventShape = 'rest-v1' | 'http-v2' | 'non-proxy' | 'non-proxy-envelope';
