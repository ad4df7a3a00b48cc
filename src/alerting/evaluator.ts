/**
 * The alert evaluator: fed by the result bus, it keeps a window per check, evaluates every rule
 * of a check when its results arrive, and writes the state changes of one round of results
 * together with their outbox entries in one store call (`applyAlertTransitions`: one transaction,
 * a compare-and-set per alert). When another instance got there first a write is refused and this
 * instance adopts the stored record, so each transition notifies once across a cluster.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { AlertRecord, Notification } from '../domain/alert.ts';
import type { Check } from '../domain/check.ts';
import type { CheckState } from '../domain/status.ts';
import type { CheckResult } from '../domain/result.ts';
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { Store } from '../storage/store.ts';
import type { AlertsConfig, NotifiersConfig } from './alerts-config.ts';
import { readsLatestResult, ruleWindowMs, type AlertRule } from './rules/alert-rule.ts';
import { rulesForCheck, alertKey } from './rules/resolve-rules.ts';
import { evaluateRule } from './rules/evaluate-rule.ts';
import { stepAlert, type AlertStep } from './alert-step.ts';
import { routeChannels, type RouteSubject } from './routing/route-alert.ts';
import { createGroupSchedule } from './group-schedule.ts';
import { applyInhibition, inhibitedByDown } from './inhibition.ts';
import { dependenciesOf } from '../domain/check-dependencies.ts';
import { checkIndex, type CheckIndex } from '../domain/check-index.ts';
import { silenceMatches } from './silences.ts';
import type { Silence } from '../domain/alert.ts';
import { buildAlertEvent } from './alert-message.ts';
import { createResultWindow, type ResultWindow } from './result-window.ts';
import { silentLogger, type AlertingLogger } from './alerting-logger.ts';
import { AlertRecordSlots } from './alert-record-slots.ts';
import { describeFailure } from './notifiers/notifier.ts';

export type EvaluatorStore = Pick<Store, 'readAlerts' | 'applyAlertTransitions' | 'readResults' | 'readRecentResults' | 'readStates'>;

export interface EvaluatorDeps {
  alerts: AlertsConfig;
  channels: NotifiersConfig;
  checks: readonly Check[];
  store: EvaluatorStore;
  now(): number;
  /** True while `check` is inside a maintenance window at `at`: its alerts are silenced. */
  isInMaintenance(check: string, at: number): boolean;
  /** Checks in a running maintenance stored in the store (API-created windows): silenced too. */
  storedMaintenance?(now: number): Promise<ReadonlySet<string>>;
  /** Silences running at `now` (stored, so they hold across restarts and instances). */
  silences?(now: number): Promise<readonly Silence[]>;
  /** Link to a check's page, when the public URL is known. */
  linkFor?(check: string): string | undefined;
  /** The signed acknowledge link of an alert (when `alerts.ackLinks` and the public URL are set). */
  ackLinkFor?(key: string, now: number): string | undefined;
  /** Called after a transition enqueued notifications (wakes the dispatcher). */
  onEnqueued?(): void;
  logger?: AlertingLogger;
  newId?(): string;
  /** Most raw results kept per check. */
  maxWindowResults?: number;
}

export interface Evaluator {
  /** Loads alert records, states and each check's recent results from the store. */
  load(): Promise<void>;
  /** Bus listener: adds the results to the windows and evaluates the checks they belong to. */
  handle(event: ResultEvent): Promise<void>;
  /** Evaluates every check now, as if a round of results had arrived (tests, manual runs). */
  evaluateAll(): Promise<void>;
  /** The alert records as this instance knows them. */
  records(): AlertRecord[];
}

/** One state change of a round, written with the others by `flush`. */
interface PendingWrite {
  pair: number;
  key: string;
  previous: AlertRecord | undefined;
  record: AlertRecord;
  notify: AlertStep['notify'];
  notifications: Notification[];
}

/** A gap longer than this many check intervals in the local window triggers a reload from the store. */
const GAP_INTERVALS = 2;

/** Shared by every check without dependencies, or without a result window; never mutated. */
const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];
const NO_RESULTS: readonly CheckResult[] = Object.freeze([]);

/**
 * What the evaluator keeps per check, in slots by the check's index in the config (100,000
 * checks at scale): parallel arrays, each holding per check only what differs between checks.
 * Rule lists are shared between checks with the same rules and referred to by a small index; a
 * result window (only for a check whose rules look back in time) and a dependency list are kept
 * only where a check has one, so the common check (a `down` rule on the latest result, no
 * dependencies) costs those arrays no slot.
 */
interface CheckSlots {
  /** Config check name → slot (the index shared by every part keeping something per check). */
  slotOf: CheckIndex;
  /** The distinct rule lists of the config, each shared by every check with the same rules. */
  ruleLists: AlertRule[][];
  /** Index in `ruleLists` of each slot's rules. */
  ruleList: Uint8Array | Uint16Array | Uint32Array;
  /** Index of the slot's first alert record pair; the pairs of slot `i` are `[pairBase[i], pairBase[i + 1])`. */
  pairBase: Int32Array;
  /** How far back the rules of each list in `ruleLists` look (0: the latest result only). */
  listWindowMs: number[];
  /** Whether a rule of each list in `ruleLists` reads the latest raw result (`readsLatestResult`). */
  listReadsLatest: boolean[];
  /** Result windows of the slots that have one; holes elsewhere. */
  windows: (ResultWindow | undefined)[];
  /**
   * Newest non-maintenance result of a check without a window whose rules read it; holes
   * elsewhere (kept for every check it held a whole result, timings and details included, per
   * check: ~250 bytes at scale, for the certificate rule alone).
   */
  latest: (CheckResult | undefined)[];
  /** Confirmed state of every check (dependencies may have no rules of their own). */
  states: (CheckState | undefined)[];
  /** Check names each check depends on (groups expanded); holes for checks without dependencies. */
  dependsOn: (string[] | undefined)[];
}

/** The smallest typed array that holds indexes up to `max`. */
function indexArray(indexes: readonly number[], max: number): Uint8Array | Uint16Array | Uint32Array {
  if (max <= 0xff) return Uint8Array.from(indexes);
  return max <= 0xffff ? Uint16Array.from(indexes) : Uint32Array.from(indexes);
}

function checkSlots(deps: EvaluatorDeps): CheckSlots {
  const n = deps.checks.length;
  const ruleLists: AlertRule[][] = [];
  const ruleIndexes: number[] = [];
  const pairBase = new Int32Array(n + 1);
  const listWindowMs: number[] = [];
  const listReadsLatest: boolean[] = [];
  const windows: (ResultWindow | undefined)[] = [];
  const dependsOn: (string[] | undefined)[] = [];
  const latest: (CheckResult | undefined)[] = [];
  const states: (CheckState | undefined)[] = [];
  // checks with the same rules (by identity: defaults and group rules are shared objects) share one list
  const ruleIds = new Map<AlertRule, number>();
  const listIndex = new Map<string, number>();
  let pairs = 0;
  deps.checks.forEach((check, slot) => {
    const own = rulesForCheck(deps.alerts, check);
    const id = own.map((rule) => ruleIds.get(rule) ?? (ruleIds.set(rule, ruleIds.size), ruleIds.size - 1)).join(',');
    let index = listIndex.get(id);
    if (index === undefined) {
      index = ruleLists.push(own) - 1;
      listIndex.set(id, index);
      listWindowMs.push(Math.max(0, ...own.map(ruleWindowMs)));
      listReadsLatest.push(own.some(readsLatestResult));
    }
    const rules = ruleLists[index];
    ruleIndexes.push(index);
    pairBase[slot] = pairs;
    pairs += rules.length;
    const windowMs = listWindowMs[index];
    if (rules.length && windowMs > 0) windows[slot] = createResultWindow(windowMs, deps.maxWindowResults);
    const names = check.dependsOn?.length ? dependenciesOf(check, deps.checks) : NO_NAMES;
    if (names.length) dependsOn[slot] = names;
    states.push(undefined);
  });
  pairBase[n] = pairs;
  return {
    slotOf: checkIndex(deps.checks),
    ruleLists,
    ruleList: indexArray(ruleIndexes, ruleLists.length - 1),
    pairBase,
    listWindowMs,
    listReadsLatest,
    windows,
    latest,
    states,
    dependsOn,
  };
}

export function createEvaluator(deps: EvaluatorDeps): Evaluator {
  const logger = deps.logger ?? silentLogger;
  const newId = deps.newId ?? randomUUID;
  const slots = checkSlots(deps);
  const rulesOf = (slot: number): AlertRule[] => slots.ruleLists[slots.ruleList[slot]];
  const windowMsOf = (slot: number): number => slots.listWindowMs[slots.ruleList[slot]];
  const records = new AlertRecordSlots(slots.pairBase[deps.checks.length]);
  /** The pair of rule `kind` on the check in `slot`, or -1. */
  const pairOf = (slot: number, kind: string): number => {
    const index = rulesOf(slot).findIndex((rule) => rule.kind === kind);
    return index < 0 ? -1 : slots.pairBase[slot] + index;
  };
  const recordOf = (slot: number, index: number): AlertRecord | undefined => records.get(slots.pairBase[slot] + index, rulesOf(slot)[index], deps.checks[slot].name);
  const latestOf = (slot: number): CheckResult | undefined => slots.windows[slot]?.latest() ?? slots.latest[slot];
  function addResults(slot: number, results: readonly CheckResult[]): void {
    const window = slots.windows[slot];
    if (window) return window.add(results);
    if (!slots.listReadsLatest[slots.ruleList[slot]]) return;
    for (const result of results) {
      const newest = slots.latest[slot];
      if (!result.inMaintenance && (!newest || result.at >= newest.at)) slots.latest[slot] = result;
    }
  }
  // evaluations of one instance run one at a time so records and versions stay consistent
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };

  const grouping = deps.alerts.grouping;
  const groupDue = grouping ? createGroupSchedule({ by: grouping.by, waitMs: grouping.wait, intervalMs: grouping.interval }) : undefined;
  const routing = deps.alerts.routes !== undefined || deps.alerts.defaultRoute !== undefined;

  /**
   * The channels of one message. A rule's own `channels` win; otherwise the routes choose when
   * the alarm fires, and its reminders and resolve follow that choice (kept in `routedTo`), so a
   * night's page is resolved on the pager, not in the morning's chat. An escalation goes to its
   * own channels, and the resolve of an escalated alarm reaches them too.
   */
  function targetsFor(rule: AlertRule, subject: RouteSubject, step: AlertStep, previous: AlertRecord | undefined, now: number): string[] {
    let names: string[];
    if (step.escalation) names = rule.escalate?.to ?? [];
    else if (rule.channels) names = rule.channels;
    else if (!routing) names = Object.keys(deps.channels);
    else if (step.notify === 'firing') names = step.record.routedTo = routeChannels(deps.alerts.routes ?? [], deps.alerts.defaultRoute, subject, now);
    else names = previous?.routedTo ?? routeChannels(deps.alerts.routes ?? [], deps.alerts.defaultRoute, subject, now);
    if (step.notify === 'resolved' && previous?.escalatedAt !== undefined) names = [...names, ...(rule.escalate?.to ?? [])];
    return [...new Set(names)].filter((name) => deps.channels[name]?.enabled);
  }

  /** True while one of the check's dependencies is confirmed down (or its down alert is in alarm). */
  function dependencyDown(slot: number): boolean {
    return (slots.dependsOn[slot] ?? NO_NAMES).some((name) => {
      // dependenciesOf names configured checks only: each has a slot
      const other = slots.slotOf.get(name) as number;
      const pair = pairOf(other, 'down');
      return slots.states[other]?.status === 'down' || (pair >= 0 ? records.state(pair) : records.other(alertKey({ kind: 'down' }, name))?.state) === 'ALARM';
    });
  }

  async function activeSilences(now: number): Promise<readonly Silence[]> {
    try {
      return (await deps.silences?.(now)) ?? [];
    } catch (error) {
      logger.error({ error: describeFailure(error) }, 'could not read silences');
      return [];
    }
  }

  /**
   * Evaluates the rules of one check and queues each state change in `writes`. The new record is
   * in `records` at once, so later rules (inhibition by `down`) and later checks of the same round
   * (dependencies) see it, as they would after the write; `flush` writes the round and puts the
   * stored record back for any write refused or failed.
   */
  function evaluateCheck(slot: number, now: number, silences: readonly Silence[], writes: PendingWrite[]): void {
    const check = deps.checks[slot];
    const rules = rulesOf(slot);
    const state = slots.states[slot];
    slots.windows[slot]?.trim(now);
    const dependencyMuted = dependencyDown(slot);
    const window = { now, results: slots.windows[slot]?.results() ?? NO_RESULTS, state, latest: latestOf(slot), intervalMs: check.intervalMs };
    const downIndex = rules.findIndex((r) => r.kind === 'down');
    rules.forEach((rule, index) => {
      const pair = slots.pairBase[slot] + index;
      const key = alertKey(rule, check.name);
      const previous = recordOf(slot, index);
      const evaluation = evaluateRule(rule, window);
      // rules run in order, `down` first, so its record here is this evaluation's (a `down` rule is
      // never inhibited by itself: its own record is not rebuilt for it)
      const down = downIndex >= 0 && index !== downIndex ? recordOf(slot, downIndex) : undefined;
      const subject = { check: check.name, group: check.group, rule: rule.kind, severity: rule.severity, labels: rule.labels };
      const muted = dependencyMuted || inhibitedByDown(rule, down, now) || silences.some((silence) => silenceMatches(silence, subject, now));
      const step = applyInhibition(stepAlert(previous, rule, check.name, evaluation, now), muted, now);
      records.set(pair, step.record);
      if (!step.write) return;
      const notifications: Notification[] = [];
      if (step.notify) {
        const event = buildAlertEvent({
          kind: step.notify,
          rule,
          check,
          record: step.record,
          alarmSince: step.notify === 'firing' ? now : (previous?.since ?? now),
          evaluation,
          at: now,
          url: deps.linkFor?.(check.name),
          redact: !deps.alerts.unredactedChecks?.includes(check.name),
        });
        const ackUrl = step.notify !== 'resolved' ? deps.ackLinkFor?.(key, now) : undefined;
        if (ackUrl) Object.assign(event, { ackUrl, summary: `${event.summary}\nAcknowledge: ${ackUrl}` });
        const targets = targetsFor(rule, subject, step, previous, now);
        if (step.escalation) event.title = `ESCALATED: ${event.title}`;
        for (const channel of targets) {
          // grouped: held back `wait` (and follow-ups to the group's next `interval` slot) so the
          // other messages of its group can join it; PagerDuty is never grouped, so never held longer
          const due = !groupDue ? now : deps.channels[channel]?.kind === 'pagerduty' ? now + deps.alerts.grouping!.wait : groupDue(event, now);
          notifications.push({ id: newId(), channel, event, state: 'pending', attempts: 0, nextAttemptAt: due, createdAt: now });
        }
      }
      writes.push({ pair, key, previous, record: step.record, notify: step.notify, notifications });
    });
  }

  /**
   * Writes a round's transitions in one store call (one transaction on SQLite and PostgreSQL)
   * with their outbox entries, and wakes the dispatcher once for all of them.
   */
  async function flush(writes: readonly PendingWrite[]): Promise<void> {
    if (!writes.length) return;
    let applied: boolean[];
    try {
      applied = await deps.store.applyAlertTransitions(writes.map((w) => ({ record: w.record, fromVersion: w.previous?.version ?? 0, notifications: w.notifications })));
    } catch (error) {
      // keep the previous records: the next evaluation retries these transitions
      logger.error({ alerts: writes.map((w) => w.key), error: describeFailure(error) }, 'could not store alert transitions');
      for (const w of writes) {
        records.set(w.pair, w.previous ? { ...w.previous, evaluations: w.record.evaluations } : undefined);
      }
      return;
    }
    const lost: PendingWrite[] = [];
    let enqueued = false;
    writes.forEach((w, i) => {
      if (!applied[i]) return void lost.push(w);
      if (w.notify) logger.info({ alert: w.key, kind: w.notify, channels: w.notifications.map((n) => n.channel) }, 'alert transition');
      if (w.notifications.length) enqueued = true;
    });
    if (enqueued) deps.onEnqueued?.();
    if (!lost.length) return;
    // another instance wrote these alerts first: adopt its records (it already notified). In a
    // cluster this happens whenever a check's previous slot ran elsewhere, so read those records only
    const stored = new Map((await deps.store.readAlerts(lost.map((w) => w.key))).map((record) => [record.key, record]));
    for (const w of lost) {
      const record = stored.get(w.key);
      records.set(w.pair, record ? { ...record, evaluations: w.record.evaluations } : w.record);
    }
  }

  function silenced(slot: number, now: number, flagged: boolean, stored: ReadonlySet<string>): boolean {
    const name = deps.checks[slot].name;
    return flagged || slots.states[slot]?.status === 'maintenance' || deps.isInMaintenance(name, now) || stored.has(name);
  }

  async function storedWindows(now: number): Promise<ReadonlySet<string>> {
    try {
      return (await deps.storedMaintenance?.(now)) ?? new Set();
    } catch (error) {
      // an unreadable incident table must not stop alerting: config maintenance still applies
      logger.error({ error: describeFailure(error) }, 'could not read stored maintenance windows');
      return new Set();
    }
  }

  /** Puts a stored record in its pair (or, for a check or rule not in the config, by key). */
  function adopt(record: AlertRecord): void {
    const slot = slots.slotOf.get(record.check);
    const pair = slot === undefined ? -1 : pairOf(slot, record.rule);
    if (slot !== undefined && pair >= 0 && record.key === alertKey(rulesOf(slot)[pair - slots.pairBase[slot]], record.check)) records.set(pair, record);
    else records.setOther(record);
  }

  return {
    load: () =>
      serial(async () => {
        const now = deps.now();
        for (const record of await deps.store.readAlerts()) adopt(record);
        for (const state of await deps.store.readStates()) {
          const slot = slots.slotOf.get(state.check);
          if (slot !== undefined) slots.states[slot] = state;
        }
        for (let slot = 0; slot < deps.checks.length; slot++) {
          const windowMs = windowMsOf(slot);
          if (!rulesOf(slot).length) continue;
          const name = deps.checks[slot].name;
          if (windowMs > 0) {
            addResults(slot, await deps.store.readResults(name, now - windowMs, now + 1));
            slots.windows[slot]?.trim(now);
          } else if (slots.listReadsLatest[slots.ruleList[slot]]) {
            // the stored result row has the probe details a state's last result leaves out
            addResults(slot, await deps.store.readRecentResults(name, { limit: 1 }));
          }
        }
      }),
    handle: (event) =>
      serial(async () => {
        const now = deps.now();
        const touched = new Map<number, boolean>();
        for (const state of event.states) {
          const slot = slots.slotOf.get(state.check);
          if (slot !== undefined) slots.states[slot] = state;
        }
        for (const result of event.results) {
          const slot = slots.slotOf.get(result.check);
          if (slot === undefined || !rulesOf(slot).length) continue;
          const newest = latestOf(slot);
          const windowMs = windowMsOf(slot);
          const window = slots.windows[slot];
          if (window && (!newest || result.at - newest.at > GAP_INTERVALS * deps.checks[slot].intervalMs)) {
            // results of this check were produced elsewhere meanwhile (another instance ran it):
            // the store has them, the bus did not bring them here
            window.clear();
            window.add(await deps.store.readResults(deps.checks[slot].name, now - windowMs, now + 1));
          }
          addResults(slot, [result]);
          touched.set(slot, (touched.get(slot) ?? false) || result.inMaintenance === true);
        }
        const stored = touched.size ? await storedWindows(now) : new Set<string>();
        const silences = touched.size ? await activeSilences(now) : [];
        const writes: PendingWrite[] = [];
        for (const [slot, inMaintenance] of touched) {
          if (silenced(slot, now, inMaintenance, stored)) continue;
          evaluateCheck(slot, now, silences, writes);
        }
        await flush(writes);
      }),
    evaluateAll: () =>
      serial(async () => {
        const now = deps.now();
        const stored = await storedWindows(now);
        const silences = await activeSilences(now);
        const writes: PendingWrite[] = [];
        for (let slot = 0; slot < deps.checks.length; slot++) {
          if (rulesOf(slot).length && !silenced(slot, now, false, stored)) evaluateCheck(slot, now, silences, writes);
        }
        await flush(writes);
      }),
    records: () =>
      records.all((pair) => {
        // the slot whose pairs hold `pair` (pairBase is ascending)
        let lo = 0;
        let hi = deps.checks.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (slots.pairBase[mid] <= pair) lo = mid;
          else hi = mid - 1;
        }
        return recordOf(lo, pair - slots.pairBase[lo]);
      }),
  };
}
