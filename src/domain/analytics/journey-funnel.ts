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
  const reached = new Array<number>(stageCount).fill(0);
  const atRisk = new Array<number>(stageCount).fill(0);
  const durations = query.stages.map(() => new Float64Array(facts.roots.length));
  const durationCounts = new Array<number>(stageCount).fill(0);
  const label = query.breakdown ? personLabeller(index, facts, query.breakdown, query.channelOfTouch) : null;
  const groups = new Map<string, { entered: number; reached: number[] }>();
  const trend = query.trend ? query.trend.labels.map(() => ({ entered: 0, reached: new Array<number>(stageCount).fill(0) })) : null;
  const quietSinceMs = query.nowMs - query.atRiskMs;
  let entered = 0;
  const { isRoot, firstSeenAtMs } = facts;
  const { startMs, endMs } = query.range;
  for (let person = 0; person < facts.roots.length; person += 1) {
    const firstSeen = firstSeenAtMs[person] as number;
    if (isRoot[person] !== 1 || firstSeen < startMs || firstSeen >= endMs) continue;
    entered += 1;
    const group = label ? groupOf(groups, label(person), stageCount) : null;
    if (group) group.entered += 1;
    const period = trend && query.trend ? trend[query.trend.indexOf(facts.firstSeenAtMs[person] as number)] : undefined;
    if (period) period.entered += 1;
    let furthest = -1;
    let previousAtMs = Number.NaN;
    for (let stage = 0; stage < stageCount; stage += 1) {
      const column = columns[stage] as Float64Array;
      const atMs = person < column.length ? (column[person] as number) : Number.NaN;
      if (Number.isNaN(atMs)) {
        previousAtMs = Number.NaN;
        continue;
      }
      reached[stage] = (reached[stage] as number) + 1;
      furthest = stage;
      if (group) group.reached[stage] = (group.reached[stage] as number) + 1;
      if (period) period.reached[stage] = (period.reached[stage] as number) + 1;
      if (stage > 0 && !Number.isNaN(previousAtMs)) {
        const count = durationCounts[stage] as number;
        (durations[stage] as Float64Array)[count] = Math.max(0, atMs - previousAtMs);
        durationCounts[stage] = count + 1;
      }
      previousAtMs = atMs;
    }
    if (furthest >= 0 && (facts.lastSeenAtMs[person] as number) < quietSinceMs) atRisk[furthest] = (atRisk[furthest] as number) + 1;
  }
  const stages = query.stages.map((stage, at): JourneyStageResult => {
    const values = (durations[at] as Float64Array).subarray(0, durationCounts[at]);
    const [medianMs = null, p90Ms = null] = percentilesOf(values, [50, 90]);
    return {
      key: stage.key, name: stage.name, reached: reached[at] as number,
      conversionFromPrevious: at === 0 ? null : ratio(reached[at] as number, reached[at - 1] as number),
      conversionFromFirst: ratio(reached[at] as number, reached[0] as number),
      timeFromPrevious: { count: values.length, medianMs, p90Ms },
      atRisk: atRisk[at] as number,
    };
  });
  return {
    entered,
    stages,
    breakdown: label ? topGroups(groups).map(([value, group]) => ({ value, ...group })) : null,
    trend: trend && query.trend ? trend.map((period, at) => ({
      period: query.trend?.labels[at] as string, entered: period.entered, reached: period.reached,
      conversionFromFirst: period.reached.map((count) => ratio(count, period.reached[0] as number)),
    })) : null,
  };
}

function groupOf(groups: Map<string, { entered: number; reached: number[] }>, value: string, stageCount: number): { entered: number; reached: number[] } {
  let group = groups.get(value);
  if (!group) {
    group = { entered: 0, reached: new Array<number>(stageCount).fill(0) };
    groups.set(value, group);
  }
  return group;
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
