/**
 * The variables a condition can test, each with its type and how it is read from a probe
 * outcome. Adding a variable is one entry in `NAMED` (or a prefix rule below it).
 * @module
 */
import type { FailureClass } from '../domain/result.ts';
import type { ConditionError, Located } from './parse-condition.ts';
import type { OutcomeView } from './outcome-view.ts';
import { evaluateJsonPath, parseJsonPath, type JsonPathStep } from '../kernel/json-path.ts';

/**
 * `percent` is 0–100 (packet loss); `text` is a string (body, headers); `json` is any JSON value; `rcode` a DNS response code
 * name; `list` a list of strings (DNS answers); `duration` is milliseconds.
 */
export type VariableType = 'number' | 'duration' | 'percent' | 'text' | 'json' | 'rcode' | 'list' | 'boolean';

/** A value read from an outcome, or why there is none ("no certificate"). */
type Lookup = { found: true; value: unknown } | { found: false; why: string };

export interface Variable {
  /** Canonical name, e.g. `status`, `header.content-type`, `body.$.items[0].id`. */
  name: string;
  type: VariableType;
  read(view: OutcomeView): Lookup;
}

/** Failure classes meaning the probe never held a working connection. */
const NOT_CONNECTED: ReadonlySet<FailureClass> = new Set(['dns', 'refused', 'timeout', 'tls', 'reset']);

const found = (value: unknown): Lookup => ({ found: true, value });
const missing = (why: string): Lookup => ({ found: false, why });

/** Reads `details[section][field]`, tolerating any shape a probe left there. */
function detail(view: OutcomeView, section: string, field: string): unknown {
  const value = view.outcome.details?.[section];
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
}

/** A variable read from `details[section][field]` when it holds a `kind` value; else missing for `why`. */
function detailVariable(name: string, type: VariableType, section: string, field: string, kind: 'number' | 'string', why: string): Variable {
  return {
    name,
    type,
    read: (view) => {
      const value = detail(view, section, field);
      return typeof value === kind ? found(value) : missing(why);
    },
  };
}

function timing(phase: 'dns' | 'connect' | 'tls' | 'handshake' | 'firstByte' | 'total'): Variable {
  return {
    name: `timings.${phase}`,
    type: 'duration',
    read: (view) => {
      const value = view.outcome.timings?.[phase];
      return value === undefined ? missing(`no ${phase} timing`) : found(value);
    },
  };
}

/** `rtt.min|avg|max`: ping round trips (icmp). */
function rtt(stat: 'min' | 'avg' | 'max'): Variable {
  return {
    name: `rtt.${stat}`,
    type: 'duration',
    read: (view) => {
      const value = detail(view, 'icmp', 'rtt');
      const ms = value && typeof value === 'object' ? (value as Record<string, unknown>)[stat] : undefined;
      return typeof ms === 'number' ? found(ms) : missing('no ping reply');
    },
  };
}

const NAMED: Variable[] = [
  {
    name: 'status',
    type: 'number',
    read: ({ outcome }) => (outcome.statusCode === undefined ? missing('no HTTP status') : found(outcome.statusCode)),
  },
  { name: 'responseTime', type: 'duration', read: ({ outcome }) => found(outcome.latencyMs) },
  { name: 'body', type: 'text', read: ({ outcome }) => (outcome.body === undefined ? missing('no body') : found(outcome.body)) },
  detailVariable('certificateExpiresIn', 'duration', 'certificate', 'expiresInMs', 'number', 'no certificate'),
  {
    name: 'dns.rcode',
    type: 'rcode',
    read: (view) => {
      const value = detail(view, 'dns', 'rcode');
      return typeof value === 'string' ? found(value.toUpperCase()) : missing('no DNS answer');
    },
  },
  {
    name: 'dns.answers',
    type: 'list',
    read: (view) => {
      const value = detail(view, 'dns', 'answers');
      return Array.isArray(value) ? found(value.map(answerText)) : missing('no DNS answer');
    },
  },
  {
    name: 'connected',
    type: 'boolean',
    read: ({ outcome }) => found(!outcome.failure || !NOT_CONNECTED.has(outcome.failure.class)),
  },
  detailVariable('loss', 'percent', 'icmp', 'loss', 'number', 'no ping statistics'),
  rtt('min'),
  rtt('avg'),
  rtt('max'),
  detailVariable('exitCode', 'number', 'ssh', 'exitCode', 'number', 'no command exit status'),
  // Facts of the grpc, postgres, mysql, redis and steps kinds (issue 18).
  {
    name: 'result',
    type: 'json',
    read: ({ outcome }) => {
      const value = outcome.details?.result;
      if (value === undefined) return missing('no query result');
      // Drivers hand big integers (count(*)) over as text: compare them as the numbers they are.
      return found(typeof value === 'string' && /^-?\d{1,15}(\.\d+)?$/.test(value) ? Number(value) : value);
    },
  },
  {
    name: 'rows',
    type: 'number',
    read: ({ outcome }) => (typeof outcome.details?.rows === 'number' ? found(outcome.details.rows) : missing('no query rows')),
  },
  {
    name: 'serverVersion',
    type: 'text',
    read: ({ outcome }) => (typeof outcome.details?.serverVersion === 'string' ? found(outcome.details.serverVersion) : missing('no server version')),
  },
  detailVariable('grpc.status', 'text', 'grpc', 'status', 'string', 'no gRPC health answer'),
  {
    name: 'steps.completed',
    type: 'number',
    read: ({ outcome }) => (typeof outcome.details?.completedSteps === 'number' ? found(outcome.details.completedSteps) : missing('not a steps check')),
  },
  timing('dns'),
  timing('connect'),
  timing('tls'),
  timing('handshake'),
  timing('firstByte'),
  timing('total'),
];

/** Every fixed variable name, for docs and "did you mean" hints. */
const VARIABLE_NAMES = [...NAMED.map((v) => v.name), 'header.<name>', 'body.$<json path>'];

/** An answer is a string, or a record object like dns-packet's `{ type, data }`. */
function answerText(answer: unknown): string {
  if (typeof answer === 'string') return answer;
  if (answer && typeof answer === 'object') {
    const record = answer as Record<string, unknown>;
    for (const key of ['data', 'address', 'value']) if (typeof record[key] === 'string') return record[key] as string;
  }
  return JSON.stringify(answer);
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Finds the variable a subject names, or an error pointing at the subject. */
export function resolveVariable(subject: Located): Variable | ConditionError {
  const { text, column } = subject;
  const named = NAMED.find((v) => v.name.toLowerCase() === text.toLowerCase());
  if (named) return named;
  if (/^headers?\./i.test(text)) {
    const name = text.slice(text.indexOf('.') + 1).toLowerCase();
    if (!HEADER_NAME.test(name)) return { message: `"${name}" is not a header name`, token: text, column };
    return { name: `header.${name}`, type: 'text', read: (view) => headerLookup(view, name) };
  }
  if (/^body\.\$/i.test(text)) {
    const path = parseJsonPath(text.slice(5));
    if (!path.ok) return { message: `bad JSON path in "${text}": ${path.error}`, token: text, column };
    return { name: text, type: 'json', read: (view) => jsonLookup(view, path.steps, text) };
  }
  const hint = closest(text);
  return {
    message: hint ? `unknown variable "${text}" (did you mean "${hint}"?)` : `unknown variable "${text}"; known: ${VARIABLE_NAMES.join(', ')}`,
    token: text,
    column,
  };
}

function headerLookup(view: OutcomeView, name: string): Lookup {
  if (!view.outcome.headers) return missing('no headers');
  const value = view.header(name);
  return value === undefined ? missing(`no ${name} header`) : found(value);
}

function jsonLookup(view: OutcomeView, steps: readonly JsonPathStep[], text: string): Lookup {
  const doc = view.json();
  if (!doc.ok) return missing(doc.why);
  const result = evaluateJsonPath(doc.value, steps);
  return result.found ? found(result.value) : missing(`${text} not found`);
}

/** The known name nearest to a misspelling, when it is close enough to be a likely typo. */
function closest(text: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(text.length / 3)) + 1;
  for (const name of NAMED.map((v) => v.name)) {
    const distance = editDistance(text.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      // Damerau-style: a swapped pair (stauts) costs one edit, like a single typo.
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? before[j - 2] + 1 : Infinity;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), swap);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length];
}
