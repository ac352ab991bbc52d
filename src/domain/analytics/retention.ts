// Retention: people grouped by the period of their first start event, and the share of each group
// who came back (did the return event) in each following period.
import type { AnalyticsIndex } from './analytics-index';
import type { PeriodBuckets, TimeRange } from './calendar';
import { stepMasks, type EventMatcher } from './event-funnel';
import { personOrder, rootFacts } from './person-facts';
import { ratio } from './stats';

export type RetentionMode = 'first_time' | 'recurring';

export interface RetentionQuery {
  /** null: any event. */
  startEvent: EventMatcher | null;
  returnEvent: EventMatcher | null;
  /** Cohorts are people whose first start event ever falls in this range. */
  range: TimeRange;
  /** Periods covering the range and `periods` more after it. */
  buckets: PeriodBuckets;
  periods: number;
  mode: RetentionMode;
}

export interface RetentionCohort { period: string; people: number; returned: number[]; shares: (number | null)[] }

export function retention(index: AnalyticsIndex, query: RetentionQuery): { cohorts: RetentionCohort[] } {
  const matchers = [query.startEvent ?? { event: '', filters: [] }, query.returnEvent ?? { event: '', filters: [] }];
  const masks = stepMasks(index, matchers, []);
  const startAny = query.startEvent === null;
  const returnAny = query.returnEvent === null;
  const order = personOrder(index);
  const facts = rootFacts(index);
  const timestamps = index.eventTimestampMs.values;
  const cohorts = query.buckets.labels.map(() => ({ people: 0, returned: new Array<number>(query.periods).fill(0) }));
  const seen = new Uint8Array(query.periods + 1);
  for (let person = 0; person < index.personCount; person += 1) {
    if (facts.isRoot[person] !== 1) continue;
    const start = order.starts[person] as number;
    const end = order.starts[person + 1] as number;
    let cohort = -1;
    let at = start;
    for (; at < end; at += 1) {
      const row = order.rows[at] as number;
      if (startAny || ((masks[row] as number) & 1)) {
        const atMs = timestamps[row] as number;
        if (atMs >= query.range.startMs && atMs < query.range.endMs) cohort = query.buckets.indexOf(atMs);
        break;
      }
    }
    if (cohort < 0) continue;
    const group = cohorts[cohort] as { people: number; returned: number[] };
    group.people += 1;
    seen.fill(0);
    for (at += 1; at < end; at += 1) {
      const row = order.rows[at] as number;
      if (!returnAny && ((masks[row] as number) & 2) === 0) continue;
      const period = query.buckets.indexOf(timestamps[row] as number);
      if (period < 0) break;
      const offset = period - cohort;
      if (offset < 1 || offset > query.periods || seen[offset]) continue;
      seen[offset] = 1;
      group.returned[offset - 1] = (group.returned[offset - 1] as number) + 1;
      if (query.mode === 'first_time') break;
    }
  }
  const inRange = query.buckets.labels.map((label, at) => ({ label, at })).filter(({ at }) => (query.buckets.starts[at] as number) < query.range.endMs);
  return {
    cohorts: inRange.map(({ label, at }) => {
      const group = cohorts[at] as { people: number; returned: number[] };
      return { period: label, people: group.people, returned: group.returned, shares: group.returned.map((count) => ratio(count, group.people)) };
    }),
  };
}
