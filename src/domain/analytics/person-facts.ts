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

/**
 * Root people sorted by first seen, with their stage times row by row, so a date range is a slice
 * and the journey funnel reads memory front to back.
 */
export interface CohortMatrix {
  stageKeys: string;
  persons: Int32Array;
  firstSeenAtMs: Float64Array;
  lastSeenAtMs: Float64Array;
  /** persons.length rows of stageCount reached-at times (NaN: not reached). */
  reachedAtMs: Float64Array;
}

interface Cache { key: string; order?: PersonOrder; facts?: RootFacts; matrix?: CohortMatrix }
const caches = new WeakMap<AnalyticsIndex, Cache>();

function cacheOf(index: AnalyticsIndex): Cache {
  const key = `${index.eventCount}:${index.personCount}:${index.mergeVersion}:${index.peopleVersion}:${index.stagesVersion}`;
  let cache = caches.get(index);
  if (!cache || cache.key !== key) {
    cache = { key } as Cache;
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

/** The index of the first value not below `target` in an ascending array. */
export function lowerBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function cohortMatrix(index: AnalyticsIndex, stages: readonly { key: string }[]): CohortMatrix {
  const cache = cacheOf(index);
  const stageKeys = stages.map((stage) => stage.key).join('\u0001');
  if (cache.matrix?.stageKeys === stageKeys) return cache.matrix;
  const facts = rootFacts(index);
  const { isRoot } = facts;
  const personFirstSeen = facts.firstSeenAtMs;
  let rootCount = 0;
  let minMs = Number.POSITIVE_INFINITY;
  for (let person = 0; person < isRoot.length; person += 1) {
    const firstSeen = personFirstSeen[person] as number;
    if (isRoot[person] !== 1 || !Number.isFinite(firstSeen)) continue;
    rootCount += 1;
    if (firstSeen < minMs) minMs = firstSeen;
  }
  const unsorted = new Int32Array(rootCount);
  const keys = new Float64Array(rootCount);
  for (let person = 0, at = 0; person < isRoot.length; person += 1) {
    const firstSeen = personFirstSeen[person] as number;
    if (isRoot[person] !== 1 || !Number.isFinite(firstSeen)) continue;
    unsorted[at] = person;
    keys[at++] = Math.round(firstSeen - minMs);
  }
  const persons = sortByKey(unsorted, keys);
  const stageCount = stages.length;
  const firstSeenAtMs = new Float64Array(rootCount);
  const lastSeenAtMs = new Float64Array(rootCount);
  for (let row = 0; row < rootCount; row += 1) {
    const person = persons[row] as number;
    firstSeenAtMs[row] = personFirstSeen[person] as number;
    lastSeenAtMs[row] = facts.lastSeenAtMs[person] as number;
  }
  const reachedAtMs = new Float64Array(rootCount * stageCount).fill(Number.NaN);
  stages.forEach((stage, at) => {
    const column = index.stageReachedAtMs.get(stage.key)?.values;
    if (!column) return;
    for (let row = 0; row < rootCount; row += 1) {
      const person = persons[row] as number;
      if (person < column.length) reachedAtMs[row * stageCount + at] = column[person] as number;
    }
  });
  cache.matrix = { stageKeys, persons, firstSeenAtMs, lastSeenAtMs, reachedAtMs };
  return cache.matrix;
}

/** A stable least-significant-digit radix sort by a non-negative integer key (up to 2^48). */
function sortByKey(items: Int32Array, keys: Float64Array): Int32Array {
  // Three passes of 16 bits cover keys up to 2^48 ms (8,900 years).
  let from: Int32Array = items;
  let fromKeys: Float64Array = keys;
  let to: Int32Array = new Int32Array(items.length);
  let toKeys: Float64Array = new Float64Array(items.length);
  const counts = new Int32Array(65_537);
  for (let shift = 1; shift < 2 ** 48; shift *= 65_536) {
    counts.fill(0);
    for (let at = 0; at < from.length; at += 1) {
      const digit = Math.floor((fromKeys[at] as number) / shift) % 65_536;
      counts[digit + 1] = (counts[digit + 1] as number) + 1;
    }
    for (let digit = 0; digit < 65_536; digit += 1) counts[digit + 1] = (counts[digit + 1] as number) + (counts[digit] as number);
    for (let at = 0; at < from.length; at += 1) {
      const key = fromKeys[at] as number;
      const digit = Math.floor(key / shift) % 65_536;
      const place = counts[digit] as number;
      counts[digit] = place + 1;
      to[place] = from[at] as number;
      toKeys[place] = key;
    }
    [from, to] = [to, from];
    [fromKeys, toKeys] = [toKeys, fromKeys];
  }
  return from;
}
