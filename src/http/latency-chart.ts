/**
 * Geometry for the inline SVG latency chart on the check page: paths for avg and p95 over
 * hourly points, a rounded y-scale and a few labels. Plain data, so templates stay declarative
 * and the chart needs no JavaScript.
 * @module
 */
import type { LatencyPoint } from '../status/status-model.ts';

export interface LatencyChart {
  width: number;
  height: number;
  avgPath: string;
  p95Path: string;
  /** Horizontal grid lines with their labels (ms). */
  ticks: { y: number; value: number }[];
  /** Whether there is anything to draw. */
  empty: boolean;
}

const WIDTH = 720;
const HEIGHT = 180;
const PAD_TOP = 8;
const PAD_BOTTOM = 8;

/** A "nice" upper bound: 1, 2 or 5 × 10^n at or above `value`. */
function niceCeiling(value: number): number {
  if (value <= 0) return 100;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function pathOf(points: readonly LatencyPoint[], pick: (p: LatencyPoint) => number | null, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  points.forEach((point, i) => {
    const value = pick(point);
    if (value === null) {
      pen = false; // a gap in the data is a gap in the line, not a drop to zero
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(value).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** Chart geometry for hourly points (oldest first). */
export function latencyChart(points: readonly LatencyPoint[]): LatencyChart {
  const values = points.flatMap((p) => [p.avg, p.p95]).filter((v): v is number => v !== null);
  const top = niceCeiling(values.length ? Math.max(...values) : 0);
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const x = (i: number) => (points.length <= 1 ? WIDTH / 2 : (i / (points.length - 1)) * WIDTH);
  const y = (v: number) => PAD_TOP + plot - (Math.min(v, top) / top) * plot;
  return {
    width: WIDTH,
    height: HEIGHT,
    avgPath: pathOf(points, (p) => p.avg, x, y),
    p95Path: pathOf(points, (p) => p.p95, x, y),
    ticks: [0, 0.5, 1].map((f) => ({ y: Number(y(top * f).toFixed(1)), value: top * f })),
    empty: values.length === 0,
  };
}
