/**
 * What an import did, monitor by monitor: mapped, partially mapped (with the reasons) or skipped
 * (with the reasons), plus the environment variables the written config expects. The CLI prints
 * it; tests read it.
 * @module
 */

/** One source item the import could not carry over completely. */
interface ReportEntry {
  /** The item's name in the source (a monitor, endpoint, channel, page …). */
  name: string;
  /** What kind of item it is, for the summary (`monitor`, `notification`, `maintenance` …). */
  what: string;
  reasons: string[];
}

export interface ImportReport {
  mapped: { name: string; what: string }[];
  partial: ReportEntry[];
  skipped: ReportEntry[];
  /** Free-form notes that concern the whole import (pages not imported, defaults chosen …). */
  notes: string[];
}

/** An empty report. */
export function createReport(): ImportReport {
  return { mapped: [], partial: [], skipped: [], notes: [] };
}

/** Records an item as mapped, or partially mapped when `reasons` is not empty. */
export function recordMapped(report: ImportReport, what: string, name: string, reasons: readonly string[] = []): void {
  if (reasons.length) report.partial.push({ what, name, reasons: [...reasons] });
  else report.mapped.push({ what, name });
}

/** Records an item that was not imported at all. */
export function recordSkipped(report: ImportReport, what: string, name: string, reasons: readonly string[]): void {
  report.skipped.push({ what, name, reasons: [...reasons] });
}

/** Counts per category and item kind, e.g. `{ mapped: { monitor: 20 }, … }`. */
function reportCounts(report: ImportReport): Record<'mapped' | 'partial' | 'skipped', Record<string, number>> {
  const count = (list: { what: string }[]) => {
    const out: Record<string, number> = {};
    for (const item of list) out[item.what] = (out[item.what] ?? 0) + 1;
    return out;
  };
  return { mapped: count(report.mapped), partial: count(report.partial), skipped: count(report.skipped) };
}

/** The summary as printed lines: counts first, then every partial and skipped item with its reasons. */
export function formatReport(report: ImportReport, envNames: readonly string[]): string[] {
  const counts = reportCounts(report);
  const phrase = (byKind: Record<string, number>) =>
    Object.entries(byKind)
      .map(([what, n]) => `${n} ${what}${n === 1 ? '' : 's'}`)
      .join(', ') || 'none';
  const lines = [
    `mapped: ${phrase(counts.mapped)}`,
    `partially mapped: ${phrase(counts.partial)}`,
    `skipped: ${phrase(counts.skipped)}`,
  ];
  if (report.partial.length) {
    lines.push('', 'Partially mapped:');
    for (const entry of report.partial) lines.push(`  ${entry.what} "${entry.name}": ${entry.reasons.join('; ')}`);
  }
  if (report.skipped.length) {
    lines.push('', 'Skipped:');
    for (const entry of report.skipped) lines.push(`  ${entry.what} "${entry.name}": ${entry.reasons.join('; ')}`);
  }
  if (report.notes.length) {
    lines.push('', 'Notes:');
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  if (envNames.length) {
    lines.push('', 'Set these environment variables before `upstate validate` / `upstate serve` (secrets are never written to the config):');
    for (const name of envNames) lines.push(`  ${name}`);
  }
  return lines;
}
