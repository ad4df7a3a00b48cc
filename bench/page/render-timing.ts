/**
 * Times one uncached page render in-process, stage by stage, as the server renders it: the reads
 * the status model needs (states from the in-memory live facts, incidents from the store —
 * `status/live-status-facts.ts`), the pure `buildStatusModel` (which looks up each check's
 * history in the live facts, recomputing only what changed since the last build), the Nunjucks template pass
 * for `/`, and the JSON for `/api/v1/status`. "Render" = reads + build + template: everything a
 * cache miss costs. The page Lambda has no live facts and reads everything from the store; that
 * path is timed too (`storeReads`, `lambda`).
 * @module
 */
import type { UpstateConfig } from '../../src/config/types.ts';
import type { EmbeddedStore } from '../../src/storage/store.ts';
import { buildStatusModel, modelReadWindows } from '../../src/status/build-status-model.ts';
import { createLiveStatusFacts } from '../../src/status/live-status-facts.ts';
import type { HistorySource } from '../../src/status/load-status-model.ts';
import { createTheme } from '../../src/http/theme.ts';
import { statusJson } from '../../src/http/routes/api-routes.ts';
import { summarize } from '../lib/stats.ts';
import type { ResultEvent } from '../../src/kernel/result-bus.ts';
import type { CheckResult } from '../../src/domain/result.ts';
import type { CheckStatus } from '../../src/domain/status.ts';

type Summary = ReturnType<typeof summarize>;

export interface RenderTiming {
  /** Server path: states and rollups from memory, incidents from the store. */
  reads: Summary;
  build: Summary;
  template: Summary;
  json: Summary;
  /** Build + template. */
  pure: Summary;
  /** Server path, everything: reads + build + template, after a batch touching `changedShare` of the checks. */
  total: Summary;
  /** The same after a batch touching every check (nothing derived is reused). */
  allChanged: Summary;
  /** Lambda path: the four store reads. */
  storeReads: Summary;
  /** Lambda path, everything: store reads + build + template. */
  lambda: Summary;
  /** One-time cost of reading the live facts from the store (a server's first page view). */
  factsLoadMs: number;
  htmlBytes: number;
}

type Sources = Pick<EmbeddedStore, 'readStates' | 'readRollups' | 'listIncidents'>;

/** The live facts' reads: states and incidents; each check's history is looked up while building. */
async function readLiveInputs(view: HistorySource) {
  const [states, incidents] = await Promise.all([view.readStates(), view.listIncidents({ limit: 50 })]);
  return { states, incidents, histories: view.history };
}

async function readModelInputs(source: Sources, names: string[], now: number) {
  const windows = modelReadWindows(now);
  const [states, rollupsHourly, rollupsDaily, incidents] = await Promise.all([
    source.readStates(),
    source.readRollups(names, 'hour', ...windows.hour),
    source.readRollups(names, 'day', ...windows.day),
    source.listIncidents({ limit: 50 }),
  ]);
  return { states, rollupsHourly, rollupsDaily, incidents };
}

/**
 * One result per check in `names` at `at`, and the states after it (a batch as the page bus
 * carries it). Each check keeps the status it has, so the page keeps its shape (open groups).
 */
function batchOf(names: readonly string[], at: number, statuses: ReadonlyMap<string, CheckStatus>): ResultEvent {
  const results: CheckResult[] = names.map((check, i) => {
    const held = statuses.get(check);
    const status = held === 'down' || held === 'degraded' ? held : 'up';
    return { check, at, status, latencyMs: 20 + ((at + i) % 180), statusCode: status === 'down' ? 503 : 200 };
  });
  return { results, states: results.map((r) => ({ check: r.check, status: r.status, since: r.at, lastResult: r, streak: 1 })) };
}

/**
 * Times `iterations` renders. Before each, a batch with a result for `changedShare` of the checks
 * (default 10%, in turn) is folded into the live facts, untimed: what a server sees between two
 * re-renders while results stream in (1,000 checks at 60 s send ~85 results in the 5 s live
 * refresh window). Each iteration also times a render after a batch touching every check
 * (`allChanged`: nothing derived is reused; also what every render costs once an hour, when the
 * windows move).
 */
export async function timeRender(store: EmbeddedStore, config: UpstateConfig, iterations: number, changedShare = 0.1): Promise<RenderTiming> {
  const theme = createTheme();
  const names = config.checks.map((c) => c.name);
  const facts = createLiveStatusFacts({ store, checks: config.checks, now: Date.now });
  const l0 = performance.now();
  await facts.load();
  const factsLoadMs = performance.now() - l0;
  const statuses = new Map((await facts.view.readStates()).map((s) => [s.check, s.status]));
  const t = { reads: [] as number[], build: [] as number[], template: [] as number[], json: [] as number[], pure: [] as number[], total: [] as number[], allChanged: [] as number[], storeReads: [] as number[], lambda: [] as number[] };
  let htmlBytes = 0;
  const changed = Math.max(1, Math.round(names.length * changedShare));
  const serverRender = async (now: number) => {
    const inputs = await readLiveInputs(facts.view);
    return theme.render('index.njk', { page: config.page, live: false, now, model: buildStatusModel({ checks: config.checks, ...inputs, now }) });
  };
  for (let i = 0; i < iterations + 3; i++) {
    const some = Array.from({ length: changed }, (_, k) => names[(i * changed + k) % names.length]);
    await facts.apply(batchOf(some, Date.now(), statuses));
    const now = Date.now();
    const t0 = performance.now();
    const inputs = await readLiveInputs(facts.view);
    const t1 = performance.now();
    const model = buildStatusModel({ checks: config.checks, ...inputs, now });
    const t2 = performance.now();
    const html = theme.render('index.njk', { page: config.page, live: false, now: model.generatedAt, model });
    const t3 = performance.now();
    JSON.stringify(statusJson(model));
    const t4 = performance.now();
    await facts.apply(batchOf(names, Date.now(), statuses));
    const a0 = performance.now();
    await serverRender(Date.now());
    const a1 = performance.now();
    // the Lambda's path: the same model from the store
    const s0 = performance.now();
    const stored = await readModelInputs(store, names, now);
    const s1 = performance.now();
    theme.render('index.njk', { page: config.page, live: false, now, model: buildStatusModel({ checks: config.checks, ...stored, now }) });
    const s2 = performance.now();
    htmlBytes = Buffer.byteLength(html);
    if (i < 3) continue; // first passes compile templates and warm the JIT
    t.reads.push(t1 - t0);
    t.build.push(t2 - t1);
    t.template.push(t3 - t2);
    t.json.push(t4 - t3);
    t.pure.push(t3 - t1);
    t.total.push(t3 - t0);
    t.allChanged.push(a1 - a0);
    t.storeReads.push(s1 - s0);
    t.lambda.push(s2 - s0);
  }
  return {
    reads: summarize(t.reads),
    build: summarize(t.build),
    template: summarize(t.template),
    json: summarize(t.json),
    pure: summarize(t.pure),
    total: summarize(t.total),
    allChanged: summarize(t.allChanged),
    storeReads: summarize(t.storeReads),
    lambda: summarize(t.lambda),
    factsLoadMs,
    htmlBytes,
  };
}
