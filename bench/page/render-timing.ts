/**
 * Times one uncached page render in-process, stage by stage, as the server renders it: the reads
 * the status model needs (states and rollups from the in-memory live facts, incidents from the
 * store — `status/live-status-facts.ts`), the pure `buildStatusModel`, the Nunjucks template pass
 * for `/`, and the JSON for `/api/v1/status`. "Render" = reads + build + template: everything a
 * cache miss costs. The page Lambda has no live facts and reads everything from the store; that
 * path is timed too (`storeReads`, `lambda`).
 * @module
 */
import type { UpstateConfig } from '../../src/config/types.ts';
import type { EmbeddedStore } from '../../src/storage/store.ts';
import { buildStatusModel, modelReadWindows } from '../../src/status/build-status-model.ts';
import { createLiveStatusFacts } from '../../src/status/live-status-facts.ts';
import { createTheme } from '../../src/http/theme.ts';
import { statusJson } from '../../src/http/routes/api-routes.ts';
import { summarize } from '../lib/stats.ts';

type Summary = ReturnType<typeof summarize>;

export interface RenderTiming {
  /** Server path: states and rollups from memory, incidents from the store. */
  reads: Summary;
  build: Summary;
  template: Summary;
  json: Summary;
  /** Build + template. */
  pure: Summary;
  /** Server path, everything: reads + build + template. */
  total: Summary;
  /** Lambda path: the four store reads. */
  storeReads: Summary;
  /** Lambda path, everything: store reads + build + template. */
  lambda: Summary;
  /** One-time cost of reading the live facts from the store (a server's first page view). */
  factsLoadMs: number;
  htmlBytes: number;
}

type Sources = Pick<EmbeddedStore, 'readStates' | 'readRollups' | 'listIncidents'>;

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

export async function timeRender(store: EmbeddedStore, config: UpstateConfig, iterations: number): Promise<RenderTiming> {
  const theme = createTheme();
  const names = config.checks.map((c) => c.name);
  const facts = createLiveStatusFacts({ store, checks: names, now: Date.now });
  const l0 = performance.now();
  await facts.load();
  const factsLoadMs = performance.now() - l0;
  const t = { reads: [] as number[], build: [] as number[], template: [] as number[], json: [] as number[], pure: [] as number[], total: [] as number[], storeReads: [] as number[], lambda: [] as number[] };
  let htmlBytes = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const now = Date.now();
    const t0 = performance.now();
    const inputs = await readModelInputs(facts.view, names, now);
    const t1 = performance.now();
    const model = buildStatusModel({ checks: config.checks, ...inputs, now });
    const t2 = performance.now();
    const html = theme.render('index.njk', { page: config.page, live: false, now: model.generatedAt, model });
    const t3 = performance.now();
    JSON.stringify(statusJson(model));
    const t4 = performance.now();
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
    storeReads: summarize(t.storeReads),
    lambda: summarize(t.lambda),
    factsLoadMs,
    htmlBytes,
  };
}
