/**
 * Times one uncached page render in-process, stage by stage: the store reads the status model
 * needs, the pure `buildStatusModel`, the Nunjucks template pass for `/`, and the JSON for
 * `/api/v1/status`. "Pure render" = build + template: what a cache miss costs beyond the reads.
 * @module
 */
import type { UpstateConfig } from '../../src/config/types.ts';
import type { EmbeddedStore } from '../../src/storage/store.ts';
import { buildStatusModel, modelReadWindows } from '../../src/status/build-status-model.ts';
import { createTheme } from '../../src/http/theme.ts';
import { statusJson } from '../../src/http/routes/api-routes.ts';
import { summarize } from '../lib/stats.ts';

export interface RenderTiming {
  reads: ReturnType<typeof summarize>;
  build: ReturnType<typeof summarize>;
  template: ReturnType<typeof summarize>;
  json: ReturnType<typeof summarize>;
  pure: ReturnType<typeof summarize>;
  total: ReturnType<typeof summarize>;
  htmlBytes: number;
}

export async function timeRender(store: EmbeddedStore, config: UpstateConfig, iterations: number): Promise<RenderTiming> {
  const theme = createTheme();
  const names = config.checks.map((c) => c.name);
  const t = { reads: [] as number[], build: [] as number[], template: [] as number[], json: [] as number[], pure: [] as number[], total: [] as number[] };
  let htmlBytes = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const now = Date.now();
    const t0 = performance.now();
    const windows = modelReadWindows(now);
    const [states, rollupsHourly, rollupsDaily, incidents] = await Promise.all([
      store.readStates(),
      store.readRollups(names, 'hour', ...windows.hour),
      store.readRollups(names, 'day', ...windows.day),
      store.listIncidents({ limit: 50 }),
    ]);
    const t1 = performance.now();
    const model = buildStatusModel({ checks: config.checks, states, rollupsHourly, rollupsDaily, incidents, now });
    const t2 = performance.now();
    const html = theme.render('index.njk', { page: config.page, live: false, now: model.generatedAt, model });
    const t3 = performance.now();
    JSON.stringify(statusJson(model));
    const t4 = performance.now();
    htmlBytes = Buffer.byteLength(html);
    if (i < 3) continue; // first passes compile templates and warm the JIT
    t.reads.push(t1 - t0);
    t.build.push(t2 - t1);
    t.template.push(t3 - t2);
    t.json.push(t4 - t3);
    t.pure.push(t3 - t1);
    t.total.push(t3 - t0);
  }
  return {
    reads: summarize(t.reads),
    build: summarize(t.build),
    template: summarize(t.template),
    json: summarize(t.json),
    pure: summarize(t.pure),
    total: summarize(t.total),
    htmlBytes,
  };
}
