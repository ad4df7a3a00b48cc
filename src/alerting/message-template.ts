/**
 * Message templates (Nunjucks): the webhook's body `template` and every channel's
 * `templates: { title, text }` see the same variables, listed in `TEMPLATE_VARIABLES`. Templates
 * are checked when the config loads (syntax, unknown variables and filters, a trial render), so a
 * typo stops start-up with file:line instead of breaking the first page at 03:00. Output is plain
 * text: each channel escapes and clips it to its own limits afterwards.
 * @module
 */
import nunjucks from 'nunjucks';
import type { AlertEvent } from '../domain/alert.ts';

/** Every variable a template may use. */
export const TEMPLATE_VARIABLES = ['key', 'rule', 'check', 'group', 'severity', 'labels', 'kind', 'state', 'title', 'summary', 'at', 'time', 'url', 'ackUrl', 'json'] as const;

/** Largest template source accepted, in characters. */
const MAX_TEMPLATE_CHARS = 20_000;

// autoescape off: a template makes plain text (or a JSON body); channels escape for their own markup
const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });

/** The webhook's default body: the event itself plus a version and an ISO time. */
export function eventBody(event: AlertEvent): Record<string, unknown> {
  return { version: 1, ...event, time: new Date(event.at).toISOString() };
}

/**
 * The variables of one event. With `escape`, string values (labels too) are passed through it,
 * so a JSON body template stays valid JSON whatever a summary contains; `json` never is.
 */
export function templateVariables(event: AlertEvent, escape: (text: string) => string = (text) => text): Record<(typeof TEMPLATE_VARIABLES)[number], unknown> {
  return {
    key: escape(event.key),
    rule: escape(event.rule),
    check: escape(event.check),
    group: escape(event.group ?? ''),
    severity: escape(event.severity ?? ''),
    labels: Object.fromEntries(Object.entries(event.labels ?? {}).map(([name, value]) => [name, escape(value)])),
    kind: event.kind,
    state: event.state,
    title: escape(event.title),
    summary: escape(event.summary),
    at: event.at,
    time: new Date(event.at).toISOString(),
    url: escape(event.url ?? ''),
    ackUrl: escape(event.ackUrl ?? ''),
    json: JSON.stringify(eventBody(event)),
  };
}

const compiled = new Map<string, nunjucks.Template>();

function compile(source: string): nunjucks.Template {
  let template = compiled.get(source);
  if (!template) {
    template = new nunjucks.Template(source, environment, undefined, true);
    if (compiled.size > 1_000) compiled.clear(); // config templates are few; bound it anyway
    compiled.set(source, template);
  }
  return template;
}

/** Renders a template (already validated at load) with `variables`. */
export function renderTemplate(source: string, variables: Record<string, unknown>): string {
  return compile(source).render(variables);
}

/** Nunjucks errors start with "(unknown path)"; keep the part a person needs. */
export function cleanError(error: unknown): string {
  return String((error as Error)?.message ?? error).replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim();
}

/** Names a template reads that are not variables (loop and `set` names excepted), and unknown filters. */
function unknownNames(source: string): { variables: string[]; filters: string[] } {
  const { parser, nodes } = nunjucks as unknown as { parser: { parse(src: string): TemplateNode }; nodes: Record<string, unknown> };
  const ast = parser.parse(source);
  const filterNodes = ast.findAll(nodes.Filter);
  const filterNames = new Set(filterNodes.map((node) => node.name));
  const defined = new Set<string>(['loop', 'range', 'cycler', 'joiner']);
  for (const loop of ast.findAll(nodes.For)) {
    const names = loop.name?.children ?? [loop.name];
    for (const name of names) if (name?.value) defined.add(String(name.value));
  }
  for (const set of ast.findAll(nodes.Set)) for (const target of set.targets ?? []) defined.add(String(target.value));
  const known = new Set<string>([...TEMPLATE_VARIABLES, ...defined]);
  const variables = ast
    .findAll(nodes.Symbol)
    .filter((node) => !filterNames.has(node))
    .map((node) => String(node.value))
    .filter((name) => !known.has(name));
  const filters = filterNodes.map((node) => String(node.name?.value)).filter((name) => {
    try {
      environment.getFilter(name);
      return false;
    } catch {
      return true;
    }
  });
  return { variables: [...new Set(variables)], filters: [...new Set(filters)] };
}

/** The part of nunjucks' AST this module walks. */
interface TemplateNode {
  value?: unknown;
  name?: TemplateNode;
  children?: TemplateNode[];
  targets?: TemplateNode[];
  findAll(type: unknown): TemplateNode[];
}

/** A sample event for the trial render at load. */
const SAMPLE: AlertEvent = {
  key: 'down:api', rule: 'down', check: 'api', group: 'core', severity: 'critical', labels: { team: 'platform' },
  kind: 'firing', state: 'ALARM', title: 'api is down', summary: 'api: the check is down.', at: 0, sequence: 1, url: 'https://status.example.com/checks/api',
};

/** Why `source` is not a usable template, or undefined when it is. */
export function templateProblem(source: string): string | undefined {
  if (source.length > MAX_TEMPLATE_CHARS) return `a template may have at most ${MAX_TEMPLATE_CHARS} characters`;
  let unknown: { variables: string[]; filters: string[] };
  try {
    compile(source);
    unknown = unknownNames(source);
  } catch (error) {
    return `template syntax error: ${cleanError(error)}`;
  }
  if (unknown.variables.length) return `unknown template variable "${unknown.variables[0]}"; use one of ${TEMPLATE_VARIABLES.join(', ')}`;
  if (unknown.filters.length) return `unknown template filter "${unknown.filters[0]}"`;
  try {
    renderTemplate(source, templateVariables(SAMPLE));
  } catch (error) {
    return `template fails on a sample alert: ${cleanError(error)}`;
  }
  return undefined;
}
