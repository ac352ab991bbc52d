// The journey funnel: of the people first seen in a range, how many reached each stage, how fast,
// and where they stopped. Scans the people columns only; no event is read.
import type { AnalyticsIndex } from './analytics-index';
import type { PeriodBuckets, TimeRange } from './calendar';
import { rootFacts, type RootFacts } from './person-facts';
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

/** Reached-at columns of the stages in order, as plain arrays indexed by person. */
function stageColumns(index: AnalyticsIndex, stages: readonly { key: string }[]): Float64Array[] {
  return stages.map((stage) => index.stageReachedAtMs.get(stage.key)?.values ?? new Float64Array(0));
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
  const columns = stageColumns(index, query.stages);
  const stageCount = query.stages.length;
  // Column by column over a list of the cohort: tight loops over typed arrays, which V8 runs far
  // faster than one loop doing everything per person.
  const { isRoot, firstSeenAtMs, lastSeenAtMs } = facts;
  const { startMs, endMs } = query.range;
  const cohort = new Int32Array(facts.roots.length);
  let entered = 0;
  for (let person = 0; person < facts.roots.length; person += 1) {
    const firstSeen = firstSeenAtMs[person] as number;
    if (isRoot[person] === 1 && firstSeen >= startMs && firstSeen < endMs) cohort[entered++] = person;
  }
  const label = query.breakdown ? personLabeller(index, facts, query.breakdown, query.channelOfTouch) : null;
  const groupNames = new Map<string, number>();
  const groupOfMember = label ? new Int32Array(entered) : null;
  const periodOfMember = query.trend ? new Int32Array(entered) : null;
  for (let at = 0; at < entered; at += 1) {
    const person = cohort[at] as number;
    if (groupOfMember && label) {
      const name = label(person);
      let id = groupNames.get(name);
      if (id === undefined) groupNames.set(name, (id = groupNames.size));
      groupOfMember[at] = id;
    }
    if (periodOfMember && query.trend) periodOfMember[at] = query.trend.indexOf(firstSeenAtMs[person] as number);
  }
  const groupReached = new Int32Array(Math.max(1, groupNames.size) * stageCount);
  const periodCount = query.trend?.count ?? 0;
  const periodReached = new Int32Array(Math.max(1, periodCount) * stageCount);
  const furthest = new Int8Array(entered).fill(-1);
  const reached = new Array<number>(stageCount).fill(0);
  const durationCounts = new Array<number>(stageCount).fill(0);
  const durations = query.stages.map((_, at) => scratchBuffer(at, entered));
  for (let stage = 0; stage < stageCount; stage += 1) {
    const column = columns[stage] as Float64Array;
    const previous = stage > 0 ? (columns[stage - 1] as Float64Array) : null;
    const out = durations[stage] as Float64Array;
    const length = column.length;
    let count = 0;
    let durationCount = 0;
    for (let at = 0; at < entered; at += 1) {
      const person = cohort[at] as number;
      if (person >= length) continue;
      const atMs = column[person] as number;
      if (atMs !== atMs) continue; // NaN: not reached
      count += 1;
      furthest[at] = stage;
      if (groupOfMember) {
        const slot = (groupOfMember[at] as number) * stageCount + stage;
        groupReached[slot] = (groupReached[slot] as number) + 1;
      }
      if (periodOfMember) {
        const period = periodOfMember[at] as number;
        if (period >= 0) periodReached[period * stageCount + stage] = (periodReached[period * stageCount + stage] as number) + 1;
      }
      if (previous !== null && person < previous.length) {
        const previousAtMs = previous[person] as number;
        if (previousAtMs === previousAtMs) out[durationCount++] = atMs > previousAtMs ? atMs - previousAtMs : 0;
      }
    }
    reached[stage] = count;
    durationCounts[stage] = durationCount;
  }
  const atRisk = new Array<number>(stageCount).fill(0);
  const quietSinceMs = query.nowMs - query.atRiskMs;
  for (let at = 0; at < entered; at += 1) {
    const stage = furthest[at] as number;
    if (stage >= 0 && (lastSeenAtMs[cohort[at] as number] as number) < quietSinceMs) atRisk[stage] = (atRisk[stage] as number) + 1;
  }
  const stages = query.stages.map((stage, at): JourneyStageResult => {
    const values = (durations[at] as Float64Array).subarray(0, at === 0 ? 0 : durationCounts[at]);
    const [medianMs = null, p90Ms = null] = percentilesOf(values, [50, 90]);
    return {
      key: stage.key, name: stage.name, reached: reached[at] as number,
      conversionFromPrevious: at === 0 ? null : ratio(reached[at] as number, reached[at - 1] as number),
      conversionFromFirst: ratio(reached[at] as number, reached[0] as number),
      timeFromPrevious: { count: values.length, medianMs, p90Ms },
      atRisk: atRisk[at] as number,
    };
  });
  let breakdown: JourneyFunnelResult['breakdown'] = null;
  if (groupOfMember) {
    const groups = new Map<string, { entered: number; reached: number[] }>();
    const enteredByGroup = new Int32Array(groupNames.size);
    for (let at = 0; at < entered; at += 1) {
      const id = groupOfMember[at] as number;
      enteredByGroup[id] = (enteredByGroup[id] as number) + 1;
    }
    for (const [name, id] of groupNames) {
      groups.set(name, { entered: enteredByGroup[id] as number, reached: Array.from(groupReached.subarray(id * stageCount, (id + 1) * stageCount)) });
    }
    breakdown = topGroups(groups).map(([value, group]) => ({ value, ...group }));
  }
  let trend: JourneyFunnelResult['trend'] = null;
  if (periodOfMember && query.trend) {
    const enteredByPeriod = new Int32Array(periodCount);
    for (let at = 0; at < entered; at += 1) {
      const period = periodOfMember[at] as number;
      if (period >= 0) enteredByPeriod[period] = (enteredByPeriod[period] as number) + 1;
    }
    trend = query.trend.labels.map((period, at) => {
      const counts = Array.from(periodReached.subarray(at * stageCount, (at + 1) * stageCount));
      return { period, entered: enteredByPeriod[at] as number, reached: counts, conversionFromFirst: counts.map((count) => ratio(count, counts[0] as number)) };
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
