/** The p-th percentile (0–100) of sorted values by nearest rank; null for no values. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Upper bounds of the time-to-convert histogram buckets: the steps a merchant thinks in. */
export const histogramBoundsMs = [
  60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 3 * 3_600_000, 12 * 3_600_000,
  86_400_000, 3 * 86_400_000, 7 * 86_400_000, 14 * 86_400_000, 30 * 86_400_000, 60 * 86_400_000, 90 * 86_400_000,
];

export interface HistogramBin { fromMs: number; toMs: number | null; count: number }

export function histogram(durationsMs: number[]): HistogramBin[] {
  const counts = new Array<number>(histogramBoundsMs.length + 1).fill(0);
  for (const duration of durationsMs) {
    let bin = 0;
    while (bin < histogramBoundsMs.length && duration >= (histogramBoundsMs[bin] as number)) bin += 1;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts.map((count, bin) => ({ fromMs: bin === 0 ? 0 : histogramBoundsMs[bin - 1] as number, toMs: histogramBoundsMs[bin] ?? null, count }));
}

/** A share rounded to four decimals; null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * The p-th percentile by nearest rank without sorting: quickselect, in place (reorders `values`).
 * Linear time, which keeps a funnel over a million people fast.
 */
export function selectRank(values: Float64Array, p: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  return selectKth(values, Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1);
}

/** The k-th smallest value (from 0), by quickselect in place. */
function selectKth(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (high > low) {
    // Median of three as the pivot keeps sorted or reversed input linear too.
    const middle = (low + high) >>> 1;
    const a = values[low] as number;
    const b = values[middle] as number;
    const c = values[high] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] as number) < pivot) i += 1;
      while ((values[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k] as number;
  }
  return values[k] as number;
}

/**
 * Several nearest-rank percentiles of the same values in a few linear passes: count the values
 * into 65,536 buckets between the minimum and the maximum, then select exactly inside the bucket
 * that holds each rank. Leaves `values` unchanged.
 */
export function percentilesOf(values: Float64Array, ps: readonly number[], bounds?: { minMs: number; maxMs: number }): (number | null)[] {
  const n = values.length;
  if (n === 0) return ps.map(() => null);
  // The caller may know the smallest and largest value already, which saves a pass.
  let min = bounds?.minMs ?? Number.POSITIVE_INFINITY;
  let max = bounds?.maxMs ?? Number.NEGATIVE_INFINITY;
  if (!bounds) {
    for (let i = 0; i < n; i += 1) {
      const value = values[i] as number;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (min === max) return ps.map(() => min);
  const bucketCount = 65_536;
  const scale = (bucketCount - 1) / (max - min);
  const counts = new Int32Array(bucketCount);
  for (let i = 0; i < n; i += 1) {
    const bucket = Math.floor(((values[i] as number) - min) * scale);
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  // Find each rank's bucket, then gather every wanted bucket's values in one more pass.
  const wanted = ps.map((p) => {
    const k = Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1;
    let bucket = 0;
    let before = 0;
    while (before + (counts[bucket] as number) <= k) before += counts[bucket++] as number;
    return { bucket, rankInBucket: k - before };
  });
  const slotOfBucket = new Int32Array(bucketCount).fill(-1);
  const slots: { values: Float64Array; filled: number }[] = [];
  for (const { bucket } of wanted) {
    if (slotOfBucket[bucket] !== -1) continue;
    slotOfBucket[bucket] = slots.length;
    slots.push({ values: new Float64Array(counts[bucket] as number), filled: 0 });
  }
  for (let i = 0; i < n; i += 1) {
    const value = values[i] as number;
    const slotIndex = slotOfBucket[Math.floor((value - min) * scale)] as number;
    if (slotIndex === -1) continue;
    const slot = slots[slotIndex] as { values: Float64Array; filled: number };
    slot.values[slot.filled++] = value;
  }
  return wanted.map(({ bucket, rankInBucket }) => selectKth((slots[slotOfBucket[bucket] as number] as { values: Float64Array }).values, rankInBucket));
}
