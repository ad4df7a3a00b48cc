/**
 * Config errors: each names the file, line and path of what is wrong, so a user can fix every
 * problem from one run of `upstate validate`.
 * @module
 */

export interface ConfigIssue {
  file: string;
  /** 1-based line, when the problem can be located in the file. */
  line?: number;
  /** Dotted path with indexes, e.g. `checks[2].http.url`; empty for the whole document. */
  path: string;
  message: string;
}

/** Formats one issue as `upstate.yaml:14 checks[2].http.url: must be an absolute http(s) URL`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}` : issue.file;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Thrown by the loader when the file cannot be used; carries every issue found. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[], options?: { cause?: unknown }) {
    super(`invalid configuration:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Formats a path array (`['checks', 2, 'http', 'url']`) the way issues show it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
