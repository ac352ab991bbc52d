// Event funnels over the index: which people did these steps, in what order, how fast, and who
// stopped where. Events of every id a person ever had count for the person they merged into.
import type { AnalyticsIndex, PropertyValue } from './analytics-index';
import type { PeriodBuckets, TimeRange } from './calendar';
import { exclusionBitBase, scanFunnel, type FunnelOrder, type FunnelShape } from './funnel-scan';
import { filterHolds, type PropertyFilter } from './filters';
import { labelOf, noValue, topGroups } from './journey-funnel';
import { personOrder, rootFacts } from './person-facts';
import { histogram, ratio, selectRank, type HistogramBin } from './stats';

export interface EventMatcher { event: string; filters: readonly PropertyFilter[] }

export type FunnelBreakdown =
  | { source: 'event'; property: string; attribution: 'first_touch' | 'last_touch' | 'step'; step?: number | undefined }
  | { source: 'person'; trait: string };

export interface EventFunnelQuery {
  steps: readonly EventMatcher[];
  order: FunnelOrder;
  windowMs: number;
  range: TimeRange;
  exclusions: readonly (EventMatcher & { fromStep: number; toStep: number })[];
  breakdown: FunnelBreakdown | null;
  trend: PeriodBuckets | null;
  dropped: { atStep: number; afterPersonId: string | null; limit: number } | null;
}

export interface EventFunnelResult {
  steps: { event: string; count: number; conversionFromPrevious: number | null; conversionFromFirst: number | null; medianMsFromPrevious: number | null; p90MsFromPrevious: number | null }[];
  timeToConvert: { count: number; medianMs: number | null; p90Ms: number | null; p95Ms: number | null; histogram: HistogramBin[] };
  trend: { period: string; entered: number; converted: number; conversion: number | null }[] | null;
  breakdown: { value: string; entered: number; reached: number[] }[] | null;
  dropped: { personId: string; memberId: string | null }[] | null;
}

interface CompiledMatcher { bit: number; nameId: number; filters: { filter: PropertyFilter; ids: Int32Array | null; table: Uint8Array }[] }

function compileMatcher(index: AnalyticsIndex, matcher: EventMatcher, bit: number): CompiledMatcher {
  return {
    bit,
    nameId: index.names.find(matcher.event),
    filters: matcher.filters.map((filter) => {
      const property = index.properties.get(filter.property);
      const values = property?.dictionary.values ?? [null];
      const table = new Uint8Array(values.length);
      table[0] = filterHolds(filter, undefined) ? 1 : 0;
      for (let id = 1; id < values.length; id += 1) table[id] = filterHolds(filter, values[id] as PropertyValue) ? 1 : 0;
      return { filter, ids: property ? property.column.values : null, table };
    }),
  };
}

/** Each event's mask: bit k for step k, bit 20 + j for exclusion j. */
export function stepMasks(index: AnalyticsIndex, steps: readonly EventMatcher[], exclusions: readonly EventMatcher[]): Uint32Array {
  const matchers = [
    ...steps.map((step, at) => compileMatcher(index, step, 1 << at)),
    ...exclusions.map((exclusion, at) => compileMatcher(index, exclusion, 1 << (exclusionBitBase + at))),
  ];
  const bitsByName = new Uint32Array(index.names.size);
  for (const matcher of matchers) if (matcher.nameId !== 0) bitsByName[matcher.nameId] = (bitsByName[matcher.nameId] as number) | matcher.bit;
  const filtered = matchers.filter((matcher) => matcher.filters.length > 0 && matcher.nameId !== 0);
  const names = index.eventName.values;
  const masks = new Uint32Array(names.length);
  for (let row = 0; row < names.length; row += 1) {
    let mask = bitsByName[names[row] as number] as number;
    if (mask === 0) continue;
    for (const matcher of filtered) {
      if ((mask & matcher.bit) === 0) continue;
      for (const { ids, table } of matcher.filters) {
        const id = ids !== null && row < ids.length ? (ids[row] as number) : 0;
        if (table[id] === 0) {
          mask &= ~matcher.bit;
          break;
        }
      }
    }
    masks[row] = mask >>> 0;
  }
  return masks;
}

export function eventFunnel(index: AnalyticsIndex, query: EventFunnelQuery): EventFunnelResult {
  const stepCount = query.steps.length;
  const masks = stepMasks(index, query.steps, query.exclusions);
  const order = personOrder(index);
  const facts = rootFacts(index);
  const timestamps = index.eventTimestampMs.values;
  const shape: FunnelShape = {
    stepCount, order: query.order, windowMs: query.windowMs, entryStartMs: query.range.startMs, entryEndMs: query.range.endMs,
    exclusions: query.exclusions.map(({ fromStep, toStep }) => ({ fromStep, toStep })),
  };
  const keepAll = query.order === 'strict';
  let maxGroup = 0;
  for (let person = 0; person < index.personCount; person += 1) maxGroup = Math.max(maxGroup, (order.starts[person + 1] as number) - (order.starts[person] as number));
  const columns = { timestampsMs: new Float64Array(maxGroup), stepMasks: new Uint32Array(maxGroup) };
  const groupRows = new Int32Array(maxGroup);
  const positions = new Int32Array(stepCount);
  const scratch = new Int32Array(stepCount);

  const counts = new Array<number>(stepCount).fill(0);
  const stepDurations = query.steps.map((): number[] => []);
  const convertDurations: number[] = [];
  const trend = query.trend ? query.trend.labels.map(() => ({ entered: 0, converted: 0 })) : null;
  const groups = new Map<string, { entered: number; reached: number[] }>();
  const traits = query.breakdown?.source === 'person' ? index.traitsOfRoots() : null;
  const breakdownProperty = query.breakdown?.source === 'event' ? index.properties.get(query.breakdown.property) : undefined;
  const dropped: { personId: string; memberId: string | null }[] = [];

  for (let person = 0; person < index.personCount; person += 1) {
    if (facts.isRoot[person] !== 1) continue;
    const start = order.starts[person] as number;
    const end = order.starts[person + 1] as number;
    let length = 0;
    for (let at = start; at < end; at += 1) {
      const row = order.rows[at] as number;
      const mask = masks[row] as number;
      if (mask === 0 && !keepAll) continue;
      columns.timestampsMs[length] = timestamps[row] as number;
      columns.stepMasks[length] = mask;
      groupRows[length] = row;
      length += 1;
    }
    if (length === 0) continue;
    const reached = scanFunnel(shape, columns, 0, length, positions, scratch);
    if (reached <= 0) continue;
    for (let step = 0; step < reached; step += 1) {
      counts[step] = (counts[step] as number) + 1;
      if (step > 0) (stepDurations[step] as number[]).push(timeAt(columns, positions, step) - timeAt(columns, positions, step - 1));
    }
    const converted = reached === stepCount;
    if (converted) convertDurations.push(timeAt(columns, positions, stepCount - 1) - timeAt(columns, positions, 0));
    if (trend && query.trend) {
      const period = trend[query.trend.indexOf(timeAt(columns, positions, 0))];
      if (period) {
        period.entered += 1;
        if (converted) period.converted += 1;
      }
    }
    if (query.breakdown) {
      let value: string;
      if (query.breakdown.source === 'person') value = labelOf(traits?.get(person)?.[query.breakdown.trait]);
      else {
        const step = query.breakdown.attribution === 'first_touch' ? 0 : query.breakdown.attribution === 'last_touch' ? reached - 1 : (query.breakdown.step ?? 0);
        const row = step < reached ? (groupRows[positions[step] as number] as number) : -1;
        const id = row >= 0 && breakdownProperty && row < breakdownProperty.column.length ? breakdownProperty.column.get(row) : 0;
        value = id === 0 ? noValue : labelOf(breakdownProperty?.dictionary.values[id]);
      }
      let group = groups.get(value);
      if (!group) {
        group = { entered: 0, reached: new Array<number>(stepCount).fill(0) };
        groups.set(value, group);
      }
      group.entered += 1;
      for (let step = 0; step < reached; step += 1) group.reached[step] = (group.reached[step] as number) + 1;
    }
    if (query.dropped && reached === query.dropped.atStep + 1) {
      const personId = index.personIds[person] as string;
      if (query.dropped.afterPersonId === null || personId > query.dropped.afterPersonId) dropped.push({ personId, memberId: facts.memberIds[person] ?? null });
    }
  }

  const convert = Float64Array.from(convertDurations);
  return {
    steps: query.steps.map((step, at) => {
      const durations = Float64Array.from(stepDurations[at] as number[]);
      return {
        event: step.event, count: counts[at] as number,
        conversionFromPrevious: at === 0 ? null : ratio(counts[at] as number, counts[at - 1] as number),
        conversionFromFirst: ratio(counts[at] as number, counts[0] as number),
        medianMsFromPrevious: selectRank(durations, 50), p90MsFromPrevious: selectRank(durations, 90),
      };
    }),
    timeToConvert: {
      count: convert.length, medianMs: selectRank(convert, 50), p90Ms: selectRank(convert, 90), p95Ms: selectRank(convert, 95),
      histogram: histogram(convertDurations),
    },
    trend: trend && query.trend ? trend.map((period, at) => ({ period: query.trend?.labels[at] as string, ...period, conversion: ratio(period.converted, period.entered) })) : null,
    breakdown: query.breakdown ? topGroups(groups).map(([value, group]) => ({ value, ...group })) : null,
    dropped: query.dropped ? dropped.sort((a, b) => (a.personId < b.personId ? -1 : 1)).slice(0, query.dropped.limit) : null,
  };
}

function timeAt(columns: { timestampsMs: Float64Array }, positions: Int32Array, step: number): number {
  return columns.timestampsMs[positions[step] as number] as number;
}
