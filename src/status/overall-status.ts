/**
 * The banner: one overall status and indicator from the component statuses and active
 * incidents. A majority of checks down is a major outage; any down is a partial outage.
 * @module
 */
import type { CheckStatus } from '../domain/status.ts';
import type { Incident } from '../domain/incident.ts';
import { IMPACT_RANK, type Indicator, type OverallStatus, type StatusModel } from './status-model.ts';

const INDICATOR_BY_RANK: Indicator[] = ['none', 'minor', 'major', 'critical'];

const DESCRIPTIONS: Record<OverallStatus, string> = {
  operational: 'All systems operational',
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  maintenance: 'Scheduled maintenance in progress',
  unknown: 'Waiting for the first check results',
};

/** Severity used to pick the worst status of a group; unknown only wins when nothing is known. */
const SEVERITY: Record<CheckStatus, number> = { unknown: 0, up: 1, maintenance: 2, degraded: 3, down: 4 };

/** The worst of several statuses (`unknown` for an empty list). */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  let worst: CheckStatus = 'unknown';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

/** Counts of components per status. */
export function countStatuses(statuses: readonly CheckStatus[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0, maintenance: 0 };
  for (const status of statuses) counts[status] += 1;
  return counts;
}

/** Overall status, indicator and banner sentence. */
export function overallStatus(statuses: readonly CheckStatus[], activeIncidents: readonly Incident[]): StatusModel['overall'] {
  const counts = countStatuses(statuses);
  const serving = counts.up + counts.degraded + counts.down;
  let status: OverallStatus;
  let rank = 0;
  if (counts.down > 0) {
    // "Major" when most checks that should be serving are down: a single failing check on a
    // page of twenty is a partial outage, not a site-wide one.
    status = counts.down * 2 > serving ? 'major_outage' : 'partial_outage';
    rank = status === 'major_outage' ? 3 : 2;
  } else if (counts.degraded > 0) {
    status = 'degraded';
    rank = 1;
  } else if (counts.maintenance > 0) {
    status = 'maintenance';
  } else if (counts.up > 0 || statuses.length === 0) {
    // No checks at all: nothing is known to be wrong, which is what Statuspage clients read too.
    status = 'operational';
  } else {
    status = 'unknown';
  }
  // A declared incident can say more than the probes see (e.g. a partial data loss).
  for (const incident of activeIncidents) rank = Math.max(rank, IMPACT_RANK[incident.impact]);
  const indicator: Indicator = rank === 0 && status === 'maintenance' ? 'maintenance' : INDICATOR_BY_RANK[rank];
  return { status, indicator, description: DESCRIPTIONS[status], counts };
}
