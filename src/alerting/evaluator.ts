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
import type { ResultEvent } from '../kernel/result-bus.ts';
import type { Store } from '../storage/store.ts';
import type { AlertsConfig, NotifiersConfig } from './alerts-config.ts';
import { ruleWindowMs, type AlertRule } from './rules/alert-rule.ts';
import { rulesForCheck, alertKey } from './rules/resolve-rules.ts';
import { evaluateRule } from './rules/evaluate-rule.ts';
import { stepAlert, type AlertStep } from './alert-step.ts';
import { routeChannels, type RouteSubject } from './routing/route-alert.ts';
import { createGroupSchedule } from './group-schedule.ts';
import { applyInhibition, inhibitedByDown } from './inhibition.ts';
import { dependenciesOf } from '../domain/check-dependencies.ts';
import { silenceMatches } from './silences.ts';
import type { Silence } from '../domain/alert.ts';
import { buildAlertEvent } from './alert-message.ts';
import { createResultWindow, type ResultWindow } from './result-window.ts';
import { silentLogger, type AlertingLogger } from './alerting-logger.ts';
import { describeFailure } from './notifiers/notifier.ts';

export type EvaluatorStore = Pick<Store, 'readAlerts' | 'applyAlertTransitions' | 'readResults' | 'readStates'>;

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
  key: string;
  previous: AlertRecord | undefined;
  record: AlertRecord;
  notify: AlertStep['notify'];
  notifications: Notification[];
}

/** A gap longer than this many check intervals in the local window triggers a reload from the store. */
const GAP_INTERVALS = 2;

interface CheckEntry {
  check: Check;
  rules: AlertRule[];
  windowMs: number;
  window: ResultWindow;
  state?: CheckState;
  /** Check names this check depends on (groups expanded). */
  dependsOn: string[];
}

export function createEvaluator(deps: EvaluatorDeps): Evaluator {
  const logger = deps.logger ?? silentLogger;
  const newId = deps.newId ?? randomUUID;
  const entries = new Map<string, CheckEntry>();
  for (const check of deps.checks) {
    const rules = rulesForCheck(deps.alerts, check);
    if (!rules.length) continue;
    const windowMs = Math.max(0, ...rules.map(ruleWindowMs));
    entries.set(check.name, { check, rules, windowMs, window: createResultWindow(windowMs, deps.maxWindowResults), dependsOn: dependenciesOf(check, deps.checks) });
  }
  // the confirmed state of every check (dependencies may have no rules of their own)
  const states = new Map<string, CheckState>();
  const records = new Map<string, AlertRecord>();
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
  function dependencyDown(entry: CheckEntry): boolean {
    return entry.dependsOn.some((name) => states.get(name)?.status === 'down' || records.get(alertKey({ kind: 'down' }, name))?.state === 'ALARM');
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
  function evaluateCheck(entry: CheckEntry, now: number, silences: readonly Silence[], writes: PendingWrite[]): void {
    entry.window.trim(now);
    const dependencyMuted = dependencyDown(entry);
    const window = { now, results: entry.window.results(), state: entry.state, latest: entry.window.latest() ?? entry.state?.lastResult, intervalMs: entry.check.intervalMs };
    for (const rule of entry.rules) {
      const key = alertKey(rule, entry.check.name);
      const previous = records.get(key);
      const evaluation = evaluateRule(rule, window);
      // rules run in order, `down` first, so its record here is this evaluation's
      const down = entry.rules.some((r) => r.kind === 'down') ? records.get(alertKey({ kind: 'down' }, entry.check.name)) : undefined;
      const subject = { check: entry.check.name, group: entry.check.group, rule: rule.kind, severity: rule.severity, labels: rule.labels };
      const muted = dependencyMuted || inhibitedByDown(rule, down, now) || silences.some((silence) => silenceMatches(silence, subject, now));
      const step = applyInhibition(stepAlert(previous, rule, entry.check.name, evaluation, now), muted, now);
      records.set(key, step.record);
      if (!step.write) continue;
      const notifications: Notification[] = [];
      if (step.notify) {
        const event = buildAlertEvent({
          kind: step.notify,
          rule,
          check: entry.check,
          record: step.record,
          alarmSince: step.notify === 'firing' ? now : (previous?.since ?? now),
          evaluation,
          at: now,
          url: deps.linkFor?.(entry.check.name),
          redact: !deps.alerts.unredactedChecks?.includes(entry.check.name),
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
      writes.push({ key, previous, record: step.record, notify: step.notify, notifications });
    }
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
        if (w.previous) records.set(w.key, { ...w.previous, evaluations: w.record.evaluations });
        else records.delete(w.key);
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
      records.set(w.key, record ? { ...record, evaluations: w.record.evaluations } : w.record);
    }
  }

  function silenced(entry: CheckEntry, now: number, flagged: boolean, stored: ReadonlySet<string>): boolean {
    return flagged || entry.state?.status === 'maintenance' || deps.isInMaintenance(entry.check.name, now) || stored.has(entry.check.name);
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

  return {
    load: () =>
      serial(async () => {
        const now = deps.now();
        for (const record of await deps.store.readAlerts()) records.set(record.key, record);
        for (const state of await deps.store.readStates()) {
          states.set(state.check, state);
          const entry = entries.get(state.check);
          if (!entry) continue;
          entry.state = state; // its lastResult stands in as "latest" until new results arrive
        }
        for (const entry of entries.values()) {
          if (entry.windowMs <= 0) continue;
          entry.window.add(await deps.store.readResults(entry.check.name, now - entry.windowMs, now + 1));
          entry.window.trim(now);
        }
      }),
    handle: (event) =>
      serial(async () => {
        const now = deps.now();
        const touched = new Map<string, boolean>();
        for (const state of event.states) {
          states.set(state.check, state);
          const entry = entries.get(state.check);
          if (!entry) continue;
          entry.state = state;
        }
        for (const result of event.results) {
          const entry = entries.get(result.check);
          if (!entry) continue;
          const newest = entry.window.latest();
          if (entry.windowMs > 0 && (!newest || result.at - newest.at > GAP_INTERVALS * entry.check.intervalMs)) {
            // results of this check were produced elsewhere meanwhile (another instance ran it):
            // the store has them, the bus did not bring them here
            entry.window.clear();
            entry.window.add(await deps.store.readResults(entry.check.name, now - entry.windowMs, now + 1));
          }
          entry.window.add([result]);
          touched.set(result.check, (touched.get(result.check) ?? false) || result.inMaintenance === true);
        }
        const stored = touched.size ? await storedWindows(now) : new Set<string>();
        const silences = touched.size ? await activeSilences(now) : [];
        const writes: PendingWrite[] = [];
        for (const [name, inMaintenance] of touched) {
          const entry = entries.get(name)!;
          if (silenced(entry, now, inMaintenance, stored)) continue;
          evaluateCheck(entry, now, silences, writes);
        }
        await flush(writes);
      }),
    evaluateAll: () =>
      serial(async () => {
        const now = deps.now();
        const stored = await storedWindows(now);
        const silences = await activeSilences(now);
        const writes: PendingWrite[] = [];
        for (const entry of entries.values()) {
          if (!silenced(entry, now, false, stored)) evaluateCheck(entry, now, silences, writes);
        }
        await flush(writes);
      }),
    records: () => [...records.values()],
  };
}
