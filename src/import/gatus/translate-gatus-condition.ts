/**
 * Gatus conditions → Upstate conditions (docs/conditions.md). Placeholders map to variables
 * (`[STATUS]` → status, `[RESPONSE_TIME]` → responseTime in ms, `[BODY].a.b` → body.$.a.b,
 * `[CERTIFICATE_EXPIRATION]` → certificateExpiresIn, `[CONNECTED]`, `[DNS_RCODE]`), `pat()` to an
 * anchored `matches`, `any()` to `in [...]`. `len(…) > 0` and `has(…) == true` become presence
 * tests; anything Upstate cannot express is returned as a problem, never guessed. Every
 * translation is checked with Upstate's own condition compiler.
 * @module
 */
import { formatDuration } from '../../kernel/parse-duration.ts';
import { conditionProblem, conditionString, exactRegex } from '../mapping-helpers.ts';
import { parseGoDuration } from './gatus-values.ts';

export type Translation = { condition: string; note?: string } | { problem: string };

type Kind = 'status' | 'exitCode' | 'duration' | 'text' | 'json' | 'boolean' | 'rcode' | 'answers';

function variable(left: string, probe?: string): { name: string; kind: Kind } | { problem: string } {
  const l = left.trim();
  const upper = l.toUpperCase();
  // on ssh endpoints Gatus's [STATUS] is the command's exit code; on grpc ones [BODY].status is the health answer
  if (upper === '[STATUS]' && probe === 'ssh') return { name: 'exitCode', kind: 'exitCode' };
  if (upper === '[BODY].STATUS' && probe === 'grpc') return { name: 'grpc.status', kind: 'text' };
  // on dns endpoints [BODY] is the answer; Upstate's dns check keeps the answers as a list
  if (upper === '[BODY]' && probe === 'dns') return { name: 'dns.answers', kind: 'answers' };
  if (upper === '[STATUS]') return { name: 'status', kind: 'status' };
  if (upper === '[RESPONSE_TIME]') return { name: 'responseTime', kind: 'duration' };
  if (upper === '[CERTIFICATE_EXPIRATION]') return { name: 'certificateExpiresIn', kind: 'duration' };
  if (upper === '[CONNECTED]') return { name: 'connected', kind: 'boolean' };
  if (upper === '[DNS_RCODE]') return { name: 'dns.rcode', kind: 'rcode' };
  if (upper === '[BODY]') return { name: 'body', kind: 'text' };
  if (upper.startsWith('[BODY]')) {
    const path = l.slice(6);
    if (!/^(?:\.[^.[\]\s]+|\[\d+\])+$/.test(path)) return { problem: `JSON path ${path} is not supported` };
    const parts = [...path.matchAll(/\.([^.[\]\s]+)|\[(\d+)\]/g)].map(([, key, index]) => (index !== undefined ? `[${index}]` : /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `["${key}"]`));
    return { name: `body.$${parts.join('')}`, kind: 'json' };
  }
  if (upper === '[IP]') return { problem: 'Upstate records no resolved IP ([IP])' };
  if (upper === '[DOMAIN_EXPIRATION]') return { problem: 'Upstate does not check domain registration expiry ([DOMAIN_EXPIRATION])' };
  return { problem: `placeholder ${l} is not supported` };
}

function literal(value: string, kind: Kind, op: string): string | { problem: string } {
  const v = value.trim();
  const numeric = v !== '' && Number.isFinite(Number(v));
  switch (kind) {
    case 'status':
      return /^\d{3}$/.test(v) ? v : { problem: `status value ${v} is not a status code` };
    case 'exitCode':
      return /^\d{1,3}$/.test(v) ? v : { problem: `exit status ${v} is not a number` };
    case 'duration': {
      const ms = numeric ? Number(v) : parseGoDuration(v);
      return ms === undefined ? { problem: `${v} is not a duration` } : formatDuration(ms);
    }
    case 'boolean':
      return /^(true|false)$/i.test(v) ? v.toLowerCase() : { problem: `${v} is not true or false` };
    case 'rcode':
      return /^[A-Za-z]+$/.test(v) ? v.toUpperCase() : { problem: `${v} is not a DNS rcode` };
    case 'answers':
      return op === '==' || op === '!=' ? conditionString(v) : { problem: `${op} on a DNS answer` };
    case 'text':
    case 'json':
      if (['<', '<=', '>', '>='].includes(op)) return numeric ? v : { problem: `${v} is not a number` };
      return conditionString(v);
  }
}

/** Translates one Gatus condition; `probe` is the Upstate kind of the endpoint (placeholders differ per kind). */
export function translateGatusCondition(source: string, probe?: string): Translation {
  const text = source.trim();
  const lenMatch = /^len\((.+)\)\s*(==|!=|<=|>=|<|>)\s*(\d+)$/i.exec(text);
  if (lenMatch) return translateLen(lenMatch[1], lenMatch[2], Number(lenMatch[3]));
  const hasMatch = /^has\((.+)\)\s*(==|!=)\s*(true|false)$/i.exec(text);
  if (hasMatch) {
    const wantsPresent = (hasMatch[2] === '==') === (hasMatch[3].toLowerCase() === 'true');
    if (!wantsPresent) return { problem: 'Upstate conditions cannot test that a value is absent (has(…) == false)' };
    const v = variable(hasMatch[1], probe);
    if ('problem' in v) return v;
    return checked(`${v.name} != null`, 'also fails when the value is present but null');
  }
  const match = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(text);
  if (!match) return { problem: 'not a comparison' };
  const [, left, op, right] = match;
  const v = variable(left, probe);
  if ('problem' in v) return v;
  const r = right.trim();
  const pat = /^pat\((.*)\)$/i.exec(r);
  if (v.kind === 'answers' && (pat || /^any\(/i.test(r))) return { problem: `${pat ? 'pat()' : 'any()'} on a DNS answer: Upstate tests dns.answers with contains only` };
  if (pat) {
    if (op !== '==' && op !== '!=') return { problem: `pat() with ${op}` };
    const regex = `^${pat[1].split('*').map((part) => exactRegex(part).slice(1, -1)).join('.*')}$`;
    return checked(`${v.name} ${op === '==' ? 'matches' : 'not matches'} ${conditionString(regex)}`);
  }
  const any = /^any\((.*)\)$/i.exec(r);
  if (any) {
    if (op !== '==' && op !== '!=') return { problem: `any() with ${op}` };
    const items = any[1].split(',').map((item) => literal(item, v.kind, '=='));
    const bad = items.find((item) => typeof item !== 'string');
    if (bad) return bad as { problem: string };
    return checked(`${v.name} ${op === '==' ? 'in' : 'not in'} [${items.join(', ')}]`);
  }
  // Gatus compares JSON values by their text: 42 equals "42", so exact numbers/booleans match as text
  if (v.kind === 'json' && (op === '==' || op === '!=') && /^(-?\d+(\.\d+)?|true|false)$/i.test(r)) {
    return checked(`${v.name} ${op === '==' ? 'matches' : 'not matches'} ${conditionString(exactRegex(r))}`);
  }
  const lit = literal(r, v.kind, op);
  if (typeof lit !== 'string') return lit;
  if (v.kind === 'answers') return checked(`${v.name} ${op === '==' ? 'contains' : '!contains'} ${lit}`, 'passes when any answer equals the value (Gatus compared its one answer)');
  return checked(`${v.name} ${op} ${lit}`);
}

function translateLen(inner: string, op: string, n: number): Translation {
  const presence = (op === '>' && n === 0) || (op === '>=' && n === 1) || (op === '!=' && n === 0);
  if (!presence) return { problem: `len(…) ${op} ${n}: Upstate conditions have no length function` };
  const v = variable(inner);
  if ('problem' in v) return v;
  if (v.kind === 'text') return checked('body matches "[\\\\s\\\\S]"');
  if (v.kind === 'json') return checked(`${v.name}[0] != null`, 'assumes the value is an array (its first element must exist)');
  return { problem: `len() of ${inner}` };
}

function checked(condition: string, note?: string): Translation {
  const problem = conditionProblem(condition);
  if (problem) return { problem: `translation ${JSON.stringify(condition)} is rejected: ${problem}` };
  return note ? { condition, note } : { condition };
}
