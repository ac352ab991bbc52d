// Per-person orderings and facts derived from an index, cached until the index changes: the events
// of each root person in time order, and each root's first touch, first and last seen times.
import type { AnalyticsIndex } from './analytics-index';

export interface PersonOrder {
  /** Event rows grouped by root person, each group sorted by (timestamp, load order). */
  rows: Int32Array;
  /** rows[starts[p]] .. rows[starts[p + 1] - 1] are root p's events (empty for merged people). */
  starts: Int32Array;
}

export interface RootFacts {
  roots: Int32Array;
  isRoot: Uint8Array;
  firstSeenAtMs: Float64Array;
  lastSeenAtMs: Float64Array;
  /** The touch id of the root's earliest event with a touch; 0 for none (Direct). */
  firstTouch: Int32Array;
  memberIds: (string | null)[];
}

const caches = new WeakMap<AnalyticsIndex, { key: string; order?: PersonOrder; facts?: RootFacts }>();

function cacheOf(index: AnalyticsIndex): { key: string; order?: PersonOrder; facts?: RootFacts } {
  const key = `${index.eventCount}:${index.personCount}:${index.mergeVersion}:${index.peopleVersion}`;
  let cache = caches.get(index);
  if (!cache || cache.key !== key) {
    cache = { key };
    caches.set(index, cache);
  }
  return cache;
}

export function personOrder(index: AnalyticsIndex): PersonOrder {
  const cache = cacheOf(index);
  if (cache.order) return cache.order;
  const roots = index.roots();
  const eventPerson = index.eventPerson.values;
  const timestamps = index.eventTimestampMs.values;
  const starts = new Int32Array(index.personCount + 1);
  for (let row = 0; row < eventPerson.length; row += 1) {
    const slot = (roots[eventPerson[row] as number] as number) + 1;
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let person = 0; person < index.personCount; person += 1) starts[person + 1] = (starts[person + 1] as number) + (starts[person] as number);
  const rows = new Int32Array(eventPerson.length);
  const cursor = starts.slice(0, index.personCount);
  for (let row = 0; row < eventPerson.length; row += 1) {
    const root = roots[eventPerson[row] as number] as number;
    const at = cursor[root] as number;
    rows[at] = row;
    cursor[root] = at + 1;
  }
  // Rows were placed in load order, which is nearly time order: sort only the groups that are not.
  for (let person = 0; person < index.personCount; person += 1) {
    const start = starts[person] as number;
    const end = starts[person + 1] as number;
    let sorted = true;
    for (let at = start + 1; at < end && sorted; at += 1) {
      if ((timestamps[rows[at] as number] as number) < (timestamps[rows[at - 1] as number] as number)) sorted = false;
    }
    if (sorted) continue;
    const group = Array.from(rows.subarray(start, end));
    group.sort((a, b) => (timestamps[a] as number) - (timestamps[b] as number) || a - b);
    rows.set(group, start);
  }
  cache.order = { rows, starts };
  return cache.order;
}

export function rootFacts(index: AnalyticsIndex): RootFacts {
  const cache = cacheOf(index);
  if (cache.facts) return cache.facts;
  const roots = index.roots();
  const count = index.personCount;
  const isRoot = new Uint8Array(count);
  const firstSeenAtMs = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const lastSeenAtMs = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  const memberIds: (string | null)[] = new Array(count).fill(null);
  const personFirst = index.firstSeenAtMs.values;
  const personLast = index.lastSeenAtMs.values;
  for (let person = 0; person < count; person += 1) {
    const root = roots[person] as number;
    if (root === person) isRoot[person] = 1;
    if ((personFirst[person] as number) < (firstSeenAtMs[root] as number)) firstSeenAtMs[root] = personFirst[person] as number;
    if ((personLast[person] as number) > (lastSeenAtMs[root] as number)) lastSeenAtMs[root] = personLast[person] as number;
    const memberId = index.memberIds[person] ?? null;
    if (memberId !== null && (root === person || memberIds[root] === null)) memberIds[root] = memberId;
  }
  const firstTouch = new Int32Array(count);
  const firstTouchAtMs = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const eventPerson = index.eventPerson.values;
  const eventTouch = index.eventTouch.values;
  const timestamps = index.eventTimestampMs.values;
  for (let row = 0; row < eventPerson.length; row += 1) {
    const touch = eventTouch[row] as number;
    if (touch === 0) continue;
    const root = roots[eventPerson[row] as number] as number;
    if ((timestamps[row] as number) < (firstTouchAtMs[root] as number)) {
      firstTouchAtMs[root] = timestamps[row] as number;
      firstTouch[root] = touch;
    }
  }
  cache.facts = { roots, isRoot, firstSeenAtMs, lastSeenAtMs, firstTouch, memberIds };
  return cache.facts;
}
