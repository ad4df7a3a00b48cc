/**
 * Times the pure render of `/` in-process: `buildStatusModel` over in-memory rollups, then the
 * `index.njk` template pass, with no store and no cache. Warm-up passes first (template compile,
 * JIT); each later pass is one sample. Wall time and process CPU time are both recorded: on a
 * shared machine the CPU time is the steadier figure (it still includes GC threads).
 * @module
 */
import { buildStatusModel } from '../../src/status/build-status-model.ts';
import { createTheme } from '../../src/http/theme.ts';
import { summarize } from '../lib/stats.ts';
import type { PageWorld } from './model-fixture.ts';

type Summary = ReturnType<typeof summarize>;

export interface RenderSpeed {
  build: Summary;
  template: Summary;
  /** build + template of the same pass, wall time. */
  pure: Summary;
  /** build + template of the same pass, process CPU time. */
  pureCpu: Summary;
  htmlBytes: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Untimed passes first: template compile, JIT, and the fixture's own garbage. */
const WARMUP = 5;

/** `iterations` timed passes after the warm-up ones. */
export function timePureRender(world: PageWorld, iterations: number): RenderSpeed {
  const theme = createTheme();
  const t = { build: [] as number[], template: [] as number[], pure: [] as number[], pureCpu: [] as number[] };
  let htmlBytes = 0;
  for (let i = 0; i < iterations + WARMUP; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const model = buildStatusModel(world.input);
    const t1 = performance.now();
    const html = theme.render('index.njk', { page: world.page, live: true, now: world.input.now, model });
    const t2 = performance.now();
    const c1 = cpuMs();
    htmlBytes = Buffer.byteLength(html);
    if (i < WARMUP) continue;
    t.build.push(t1 - t0);
    t.template.push(t2 - t1);
    t.pure.push(t2 - t0);
    t.pureCpu.push(c1 - c0);
  }
  return { build: summarize(t.build), template: summarize(t.template), pure: summarize(t.pure), pureCpu: summarize(t.pureCpu), htmlBytes };
}
