/**
 * Small pieces both importers use: condition literals, secret-looking header names, unique check
 * names, and checking a translated condition with Upstate's own compiler.
 * @module
 */
import { compileCondition } from '../conditions/compile-condition.ts';
export { isHttpUrl } from '../kernel/http-url.ts';

/** A double-quoted condition string literal. */
export function conditionString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A regex source matching exactly `text`. */
export function exactRegex(text: string): string {
  return `^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
}

/** Undefined when Upstate accepts the condition, else the compiler's message. */
export function conditionProblem(condition: string): string | undefined {
  const compiled = compileCondition(condition);
  return compiled.ok ? undefined : compiled.error.message;
}

/** Header names whose values are credentials and become `${ENV}` references. */
export function isSecretHeader(name: string): boolean {
  return /authorization|cookie|token|secret|passw|api[-_]?key|x-auth|session/i.test(name);
}

/** Hands out check names unique in the config: a repeated name gets ` (2)`, ` (3)` …. */
export function createNameAllocator(): (wanted: string) => string {
  const used = new Set<string>();
  return (wanted) => {
    const base = wanted.trim().slice(0, 190) || 'Unnamed';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    return name;
  };
}

/** A channel name Upstate accepts (`^[A-Za-z0-9][\w.-]*$`), unique among `used`. */
export function channelName(wanted: string, used: Set<string>): string {
  const base = wanted.trim().replace(/[^\w.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '').slice(0, 60) || 'channel';
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  used.add(name);
  return name;
}

