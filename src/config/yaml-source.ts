/**
 * YAML parsing that remembers where every value came from, and `${ENV_VAR}` substitution done
 * on the parsed scalars (so line numbers stay right and a secret never passes through YAML parsing).
 * @module
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ConfigIssue } from './config-error.ts';

/** A parsed config document plus a way to find the line of any path in it. */
export interface YamlSource {
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

const ENV_PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Parses YAML text. Returns issues for syntax errors and for `${VAR}` references to unset
 * variables (`${VAR:-default}` supplies a default; `$$` is a literal `$`).
 */
export function parseYamlSource(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): { source?: YamlSource; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const issues: ConfigIssue[] = doc.errors.map((error) => ({
    file,
    line: lineAt(error.pos[0]),
    path: '',
    message: error.message.split('\n')[0],
  }));
  if (issues.length) return { issues };

  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      node.value = node.value.replace(ENV_PATTERN, (match, name?: string, fallback?: string) => {
        if (match === '$$') return '$';
        const value = env[name!];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        issues.push({
          file,
          line: lineAt(node.range?.[0]),
          path: formatNodePath([...path, node]),
          message: `environment variable ${name} is not set`,
        });
        return '';
      });
    },
  });

  return {
    issues,
    source: {
      value: doc.toJS({ maxAliasCount: 100 }),
      lineOf: (path) => lineAt(findRange(doc, path)),
    },
  };
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
