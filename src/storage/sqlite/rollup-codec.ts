/**
 * Compact storage of rollup histograms: only non-zero buckets, as (index byte, LEB128 count)
 * pairs. A typical hour touches 1–4 of the 16 buckets, so this is 2–12 bytes instead of a
 * 16-number JSON array — it matters with one hourly row per check per hour.
 * @module
 */
import { HISTOGRAM_SIZE, emptyHistogram } from '../../domain/histogram.ts';

/** Packs a histogram into its sparse byte form. */
export function packHistogram(histogram: readonly number[]): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < HISTOGRAM_SIZE; i++) {
    let count = Math.max(0, Math.round(histogram[i] ?? 0));
    if (count === 0) continue;
    bytes.push(i);
    // LEB128: 7 bits per byte, high bit set while more bytes follow
    while (count >= 0x80) {
      bytes.push((count % 0x80) | 0x80);
      count = Math.floor(count / 0x80);
    }
    bytes.push(count);
  }
  return Buffer.from(bytes);
}

/** Unpacks `packHistogram` output into a full-length histogram. */
export function unpackHistogram(data: Uint8Array): number[] {
  const histogram = emptyHistogram();
  let offset = 0;
  while (offset < data.length) {
    const index = data[offset++];
    let count = 0;
    let scale = 1;
    for (;;) {
      const byte = data[offset++];
      count += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    if (index < HISTOGRAM_SIZE) histogram[index] += count;
  }
  return histogram;
}
