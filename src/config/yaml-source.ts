/**
 * YAML parsing that remembers where every value came from, and `${ENV_VAR}` substitution done
 * on the parsed scalars (so line numbers stay right and a secret never passes through YAML parsing).
 * @module
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ConfigIssue } from './config-error.ts';
import { parseConfigFast } from './fast-yaml.ts';
import { detachStrings } from './detach-strings.ts';

/** A parsed config document plus a way to find the line of any path in it. */
export interface YamlSource {
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Longest line read; a longer one is refused before parsing, since YAML's parser holds several copies of it. */
const MAX_LINE_CHARS = 1024 * 1024;
/** Deepest nesting of collections; a real config needs under ten levels. */
const MAX_DEPTH = 64;
/**
 * How far aliases may expand: the expanded document may hold at most MAX_VALUES values in all (a
 * 100,000-check config has about two million). yaml's own alias guard is off: it counts uses ×
 * nested aliases per anchor, which refuses a large config that merges one shared block into every
 * check, while a bomb is caught here all the same (aliases resolve to shared objects, so building
 * them is cheap; only walking them is counted).
 */
const MAX_VALUES = 8_000_000;

const ENV_PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** `text` with `${VAR}` references replaced; `onUnset` is told of each unset one without a default. */
function expandEnv(text: string, env: Record<string, string | undefined>, onUnset: (name: string) => void): string {
  return text.replace(ENV_PATTERN, (match, name?: string, fallback?: string) => {
    if (match === '$$') return '$';
    const value = env[name!];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    onUnset(name!);
    return '';
  });
}

/**
 * Parses YAML text. Returns issues for syntax errors and for `${VAR}` references to unset
 * variables (`${VAR:-default}` supplies a default; `$$` is a literal `$`).
 */
export function parseYamlSource(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): { source?: YamlSource; issues: ConfigIssue[] } {
  const longLine = findLongLine(text);
  if (longLine) return { issues: [{ file, line: longLine, path: '', message: `line is too long (over ${MAX_LINE_CHARS / 1024} KiB); a config value cannot be that large` }] };
  const fast = parseConfigFast(text, { maxDepth: MAX_DEPTH, maxValues: MAX_VALUES }, (value) => {
    let unset = false;
    const expanded = expandEnv(value, env, () => (unset = true));
    return unset ? undefined : expanded;
  });
  if (fast) {
    // lines are only needed to report a problem: build the Document then, once
    let located: YamlSource | undefined;
    const locate = () => (located ??= parseWithDocument(text, file, env).source);
    return { issues: [], source: { value: detachStrings(fast.value), lineOf: (path) => locate()?.lineOf(path) } };
  }
  return parseWithDocument(text, file, env);
}

/** The slow path: a `yaml` Document, which knows the line of every node and explains every error. */
function parseWithDocument(text: string, file: string, env: Record<string, string | undefined>): { source?: YamlSource; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  let doc: Document;
  try {
    // `<<` merge keys are allowed: sharing one anchored block across many checks is common
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  } catch (cause) {
    // the parser recurses per nesting level; a stack overflow means absurd nesting
    if (cause instanceof RangeError) return { issues: [{ file, path: '', message: `nesting is too deep (more than ${MAX_DEPTH} levels)` }] };
    throw cause;
  }
  const issues: ConfigIssue[] = doc.errors.map((error) => ({
    file,
    line: lineAt(error.pos[0]),
    path: '',
    message: /call stack/i.test(error.message) ? `nesting is too deep (more than ${MAX_DEPTH} levels)` : error.message.split('\n')[0],
  }));
  if (!issues.length) issues.push(...structureIssues(doc, file, lineAt));
  if (issues.length) return { issues };

  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      node.value = expandEnv(node.value, env, (name) =>
        issues.push({
          file,
          line: lineAt(node.range?.[0]),
          path: formatNodePath([...path, node]),
          message: `environment variable ${name} is not set`,
        }),
      );
    },
  });

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    return { issues: [...issues, { file, line: lineAt(firstAliasOffset(doc)), path: '', message: `aliases expand too far (${cause.message})` }] };
  }
  // only aliases can make the document larger than the file: without any, nothing to count
  const aliasAt = firstAliasOffset(doc);
  if (aliasAt !== undefined && countValues(value, MAX_VALUES) > MAX_VALUES) {
    return { issues: [...issues, { file, line: lineAt(aliasAt), path: '', message: `aliases expand to more than ${MAX_VALUES.toLocaleString('en')} values` }] };
  }
  return {
    issues,
    source: {
      value: detachStrings(value),
      lineOf: (path) => lineAt(findRange(doc, path)),
    },
  };
}

/** 1-based number of the first line longer than MAX_LINE_CHARS, if any. */
function findLongLine(text: string): number | undefined {
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MAX_LINE_CHARS) return line;
    if (end < 0) return undefined;
    start = end + 1;
    line++;
  }
  return undefined;
}

/**
 * Nesting deeper than MAX_DEPTH and aliases to anchors that do not exist, found by an explicit
 * stack (not recursion, which is what deep nesting would overflow). The walk goes in document
 * order and remembers the anchors it has passed, so checking an alias is a set lookup:
 * `Alias.resolve` would walk the whole document again for every alias.
 */
function structureIssues(doc: Document, file: string, lineAt: (offset: number | undefined) => number | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const anchors = new Set<string>();
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  let tooDeep = false;
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    const offset = (node as { range?: [number] } | null)?.range?.[0];
    if (isAlias(node)) {
      if (!anchors.has(node.source)) issues.push({ file, line: lineAt(offset), path: '', message: `alias *${node.source} names no anchor defined before it` });
      continue;
    }
    if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.add(node.anchor);
    if (isCollection(node)) {
      if (depth > MAX_DEPTH) {
        if (!tooDeep) issues.push({ file, line: lineAt(offset), path: '', message: `nesting is too deep (more than ${MAX_DEPTH} levels)` });
        tooDeep = true;
        continue;
      }
      // pushed last item first, so the first item is walked first
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
    } else if (isPair(node)) {
      stack.push({ node: node.value, depth }, { node: node.key, depth });
    }
  }
  return issues;
}

/** Offset of the first alias in the document (where an expansion problem starts). */
function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** Values in `root`, counting shared (aliased) objects once per use; stops counting past `limit`. */
function countValues(root: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length && count <= limit) {
    const value = stack.pop();
    count++;
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) stack.push(item);
  }
  return count;
}

/** Start offset of the deepest existing node along `path` (a missing key points at its parent). */
function findRange(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number] } | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (!item) break;
      offset = (item as { range?: [number] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/** Path of a scalar inside the document, from the ancestor list `visit` provides. */
function formatNodePath(ancestors: readonly unknown[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    const child = ancestors[i + 1];
    if (isSeq(node) && child !== undefined) parts.push(`[${node.items.indexOf(child as never)}]`);
    else if (isMap(node) && child !== undefined) {
      const pair = child as { key?: unknown };
      if (isScalar(pair.key)) parts.push(`${parts.length ? '.' : ''}${String(pair.key.value)}`);
    }
  }
  return parts.join('');
}
