/** The p-th percentile (0–100) of sorted values by nearest rank; null for no values. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export interface DurationSummary {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export function summarizeDurations(durationsMs: number[]): DurationSummary {
  const sorted = Float64Array.from(durationsMs).sort();
  return { count: sorted.length, medianMs: nearestRank(sorted, 50), p90Ms: nearestRank(sorted, 90) };
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
