// The journey funnel: of the people first seen in a range, how many reached each stage, how fast,
// and where they stopped. Scans the people columns only; no event is read.
import type { AnalyticsIndex } from './analytics-index';
import type { PeriodBuckets, TimeRange } from './calendar';
import { cohortMatrix, lowerBound, rootFacts, type RootFacts } from './person-facts';
import { percentilesOf, ratio } from './stats';

export type PersonBreakdown = { by: 'channel' } | { by: 'tier' } | { by: 'trait'; trait: string };

export interface JourneyFunnelQuery {
  stages: readonly { key: string; name: string }[];
  range: TimeRange;
  nowMs: number;
  atRiskMs: number;
  breakdown: PersonBreakdown | null;
  trend: PeriodBuckets | null;
  /** Channel name per touch id (index 0: no touch). */
  channelOfTouch: readonly string[];
}

export interface JourneyStageResult {
  key: string;
  name: string;
  reached: number;
  conversionFromPrevious: number | null;
  conversionFromFirst: number | null;
  timeFromPrevious: { count: number; medianMs: number | null; p90Ms: number | null };
  /** People whose furthest stage is this one and who have been quiet for the at-risk days. */
  atRisk: number;
}

export interface JourneyFunnelResult {
  entered: number;
  stages: JourneyStageResult[];
  breakdown: { value: string; entered: number; reached: number[] }[] | null;
  trend: { period: string; entered: number; reached: number[]; conversionFromFirst: (number | null)[] }[] | null;
}

export const noValue = '(none)';

// Reused between queries: allocating (and zeroing) a buffer per stage per question for a million
// people costs more than the scan itself. Queries run one at a time on the event loop.
const scratchBuffers: Float64Array[] = [];
function scratchBuffer(slot: number, length: number): Float64Array {
  let buffer = scratchBuffers[slot];
  if (!buffer || buffer.length < length) {
    buffer = new Float64Array(length);
    scratchBuffers[slot] = buffer;
  }
  return buffer;
}
const maxBreakdownValues = 50;

/** Reached-at columns of the stages in order, one entry per person (NaN: not reached). */
function stageColumns(index: AnalyticsIndex, stages: readonly { key: string }[]): Float64Array[] {
  return stages.map((stage) => {
    // Padding to every person spares the scans a bounds check per read.
    const column = index.stageColumn(stage.key);
    column.padTo(index.personCount);
    return column.values;
  });
}

export function isInCohort(facts: RootFacts, person: number, range: TimeRange): boolean {
  const firstSeen = facts.firstSeenAtMs[person] as number;
  return facts.isRoot[person] === 1 && firstSeen >= range.startMs && firstSeen < range.endMs;
}

/** A root person's label for a breakdown by channel, tier or trait. */
export function personLabeller(index: AnalyticsIndex, facts: RootFacts, breakdown: PersonBreakdown, channelOfTouch: readonly string[]): (person: number) => string {
  if (breakdown.by === 'channel') return (person) => channelOfTouch[facts.firstTouch[person] as number] ?? noValue;
  if (breakdown.by === 'tier') return (person) => {
    const memberId = facts.memberIds[person];
    return (memberId ? index.tiers.get(memberId) : undefined) ?? noValue;
  };
  const traits = index.traitsOfRoots();
  return (person) => labelOf(traits.get(person)?.[breakdown.trait]);
}

export function labelOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return noValue;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function journeyFunnel(index: AnalyticsIndex, query: JourneyFunnelQuery): JourneyFunnelResult {
  const facts = rootFacts(index);
  const matrix = cohortMatrix(index, query.stages);
  const stageCount = query.stages.length;
  // The cohort is a slice of the people sorted by first seen; their stage times lie row by row.
  const lo = lowerBound(matrix.firstSeenAtMs, query.range.startMs);
  const hi = lowerBound(matrix.firstSeenAtMs, query.range.endMs);
  const entered = hi - lo;
  const times = matrix.reachedAtMs;
  const reached = new Int32Array(stageCount);
  const atRisk = new Int32Array(stageCount);
  const durationCounts = new Int32Array(stageCount);
  const durationMin = new Float64Array(stageCount).fill(Number.POSITIVE_INFINITY);
  const durationMax = new Float64Array(stageCount).fill(Number.NEGATIVE_INFINITY);
  const durations = query.stages.map((_, at) => scratchBuffer(at, entered));
  const quietSinceMs = query.nowMs - query.atRiskMs;
  for (let row = lo; row < hi; row += 1) {
    const base = row * stageCount;
    let furthest = -1;
    let previousAtMs = Number.NaN;
    for (let stage = 0; stage < stageCount; stage += 1) {
      const atMs = times[base + stage] as number;
      if (atMs !== atMs) { // NaN: not reached
        previousAtMs = Number.NaN;
        continue;
      }
      reached[stage] = (reached[stage] as number) + 1;
      furthest = stage;
      if (previousAtMs === previousAtMs) {
        const durationMs = atMs > previousAtMs ? atMs - previousAtMs : 0;
        const count = durationCounts[stage] as number;
        (durations[stage] as Float64Array)[count] = durationMs;
        durationCounts[stage] = count + 1;
        if (durationMs < (durationMin[stage] as number)) durationMin[stage] = durationMs;
        if (durationMs > (durationMax[stage] as number)) durationMax[stage] = durationMs;
      }
      previousAtMs = atMs;
    }
    if (furthest >= 0 && (matrix.lastSeenAtMs[row] as number) < quietSinceMs) atRisk[furthest] = (atRisk[furthest] as number) + 1;
  }
  const stages = query.stages.map((stage, at): JourneyStageResult => {
    const values = (durations[at] as Float64Array).subarray(0, durationCounts[at]);
    const [medianMs = null, p90Ms = null] = percentilesOf(values, [50, 90], { minMs: durationMin[at] as number, maxMs: durationMax[at] as number });
    return {
      key: stage.key, name: stage.name, reached: reached[at] as number,
      conversionFromPrevious: at === 0 ? null : ratio(reached[at] as number, reached[at - 1] as number),
      conversionFromFirst: ratio(reached[at] as number, reached[0] as number),
      timeFromPrevious: { count: values.length, medianMs, p90Ms },
      atRisk: atRisk[at] as number,
    };
  });

  // Breakdown and trend in their own passes, so the common question pays nothing for them.
  const countBy = (groupOfRow: (row: number) => number, groupCount: number) => {
    const enteredBy = new Int32Array(groupCount);
    const reachedBy = new Int32Array(groupCount * stageCount);
    for (let row = lo; row < hi; row += 1) {
      const group = groupOfRow(row);
      if (group < 0) continue;
      enteredBy[group] = (enteredBy[group] as number) + 1;
      for (let stage = 0; stage < stageCount; stage += 1) {
        const atMs = times[row * stageCount + stage] as number;
        if (atMs === atMs) reachedBy[group * stageCount + stage] = (reachedBy[group * stageCount + stage] as number) + 1;
      }
    }
    return (group: number) => ({ entered: enteredBy[group] as number, reached: Array.from(reachedBy.subarray(group * stageCount, (group + 1) * stageCount)) });
  };
  let breakdown: JourneyFunnelResult['breakdown'] = null;
  if (query.breakdown) {
    const label = personLabeller(index, facts, query.breakdown, query.channelOfTouch);
    const groupNames = new Map<string, number>();
    const groupOfRow = new Int32Array(entered);
    for (let row = lo; row < hi; row += 1) {
      const name = label(matrix.persons[row] as number);
      let id = groupNames.get(name);
      if (id === undefined) groupNames.set(name, (id = groupNames.size));
      groupOfRow[row - lo] = id;
    }
    const counted = countBy((row) => groupOfRow[row - lo] as number, groupNames.size);
    breakdown = topGroups(new Map([...groupNames].map(([name, id]) => [name, counted(id)]))).map(([value, group]) => ({ value, ...group }));
  }
  let trend: JourneyFunnelResult['trend'] = null;
  if (query.trend) {
    const buckets = query.trend;
    const counted = countBy((row) => buckets.indexOf(matrix.firstSeenAtMs[row] as number), buckets.count);
    trend = buckets.labels.map((period, at) => {
      const { entered: periodEntered, reached: counts } = counted(at);
      return { period, entered: periodEntered, reached: counts, conversionFromFirst: counts.map((count) => ratio(count, counts[0] as number)) };
    });
  }
  return { entered, stages, breakdown, trend };
}

/** Groups largest first (ties by name); past the first 50, the rest are summed as "(other)". */
export function topGroups<G extends { entered: number; reached: number[] }>(groups: Map<string, G>): [string, G][] {
  const sorted = [...groups.entries()].sort((a, b) => b[1].entered - a[1].entered || (a[0] < b[0] ? -1 : 1));
  if (sorted.length <= maxBreakdownValues) return sorted;
  const kept = sorted.slice(0, maxBreakdownValues - 1);
  const other = sorted.slice(maxBreakdownValues - 1).reduce((sum, [, group]) => {
    sum.entered += group.entered;
    group.reached.forEach((count, at) => { sum.reached[at] = (sum.reached[at] ?? 0) + count; });
    return sum;
  }, { entered: 0, reached: [] as number[] });
  return [...kept, ['(other)', other as G]];
}

export interface DroppedPerson { personId: string; memberId: string | null; reachedAtMs: number; lastSeenAtMs: number }

/** People of the cohort who reached stage `stageAt` but not the next one, by person id, after the cursor. */
export function droppedAtStage(index: AnalyticsIndex, stages: readonly { key: string }[], stageAt: number, range: TimeRange, afterPersonId: string | null, limit: number): DroppedPerson[] {
  const facts = rootFacts(index);
  const [here, next] = stageColumns(index, stages.slice(stageAt, stageAt + 2)) as [Float64Array, Float64Array | undefined];
  const dropped: DroppedPerson[] = [];
  for (let person = 0; person < facts.roots.length; person += 1) {
    if (!isInCohort(facts, person, range)) continue;
    const reachedAtMs = person < here.length ? (here[person] as number) : Number.NaN;
    if (Number.isNaN(reachedAtMs)) continue;
    if (next && person < next.length && !Number.isNaN(next[person] as number)) continue;
    const personId = index.personIds[person] as string;
    if (afterPersonId !== null && personId <= afterPersonId) continue;
    dropped.push({ personId, memberId: facts.memberIds[person] ?? null, reachedAtMs, lastSeenAtMs: facts.lastSeenAtMs[person] as number });
  }
  dropped.sort((a, b) => (a.personId < b.personId ? -1 : 1));
  return dropped.slice(0, limit);
}
