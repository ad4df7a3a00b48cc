/**
 * The importer's intermediate result: Upstate config sections as plain values, each entry with
 * the comments that say what was dropped and why. Source-specific mappers fill it; emit-yaml.ts
 * turns it into the YAML document, so every source gets the same layout.
 * @module
 */
import type { ImportReport } from './import-report.ts';
import type { SecretBook } from './secret-book.ts';

/** An entry of a list section. Without `value` it is a comment only (something dropped). */
export interface PlanItem {
  value?: Record<string, unknown>;
  /** Comment lines written above the entry. */
  comments?: string[];
  /** Comment lines written above a field of the entry; keys are dotted paths (`http.auth`). */
  fieldComments?: Record<string, string[]>;
}

/** An entry of a map section (`notifiers:`, `alerts.checks:`). */
export interface KeyedPlanItem extends PlanItem {
  key: string;
}

export interface ImportPlan {
  /** Comment lines at the top of the file. */
  header: string[];
  page?: PlanItem;
  checks: PlanItem[];
  notifiers: KeyedPlanItem[];
  /** Per-check alert rule sets (`alerts.checks.<name>`). */
  alertChecks: KeyedPlanItem[];
  maintenance: PlanItem[];
  incidents: PlanItem[];
  report: ImportReport;
  secrets: SecretBook;
}
