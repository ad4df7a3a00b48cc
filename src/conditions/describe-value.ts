/**
 * How a variable's actual value is shown in a failed condition's message
 * (`condition failed: status == 200 (actual: 503)`): short, typed, and never a whole body.
 * @module
 */
import type { VariableType } from './variables.ts';

const MAX_TEXT = 120;

/** Renders a value read from an outcome for the `actual` field. */
export function describeValue(type: VariableType, value: unknown): string {
  switch (type) {
    case 'duration':
      return describeMs(value as number);
    case 'percent':
      return `${value as number}%`;
    case 'text':
      return truncate(JSON.stringify(value));
    case 'list':
      return truncate(`[${(value as string[]).join(', ')}]`);
    case 'json':
      return truncate(JSON.stringify(value) ?? String(value));
    default:
      return String(value);
  }
}

/** `412ms`, `1.5s`, `3m 20s`, `13d 4h`: the two largest units, enough to judge a threshold. */
export function describeMs(ms: number): string {
  if (ms < 0) return `-${describeMs(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [unit, size] of units) {
    if (rest >= size || parts.length) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      if (count) parts.push(`${count}${unit}`);
      if (parts.length && (parts.length === 2 || unit === 's' || count === 0)) break;
    }
  }
  return parts.join(' ');
}

function truncate(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
