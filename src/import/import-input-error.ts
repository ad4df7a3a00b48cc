/**
 * The one error an importer throws for unusable input: it names the file (or URL) and what is
 * wrong with it. The CLI turns it into exit code 2.
 * @module
 */
export class ImportInputError extends Error {
  readonly source: string;
  readonly problem: string;

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.name = 'ImportInputError';
    this.source = source;
    this.problem = problem;
  }
}
