// Obviously correct (and slow) answers to the analytics questions, computed straight from the
// store's rows with plain objects and brute force, to check the columnar engine against.
import { DateTime } from 'luxon';
import { classifyChannel, touchOf } from '../../src/domain/analytics/channels';
import { filterHolds, indexedValue, type PropertyFilter } from '../../src/domain/analytics/filters';
import type { Store } from '../../src/store/open-store';

export interface RefEvent { id: string; root: string; name: string; ms: number; receivedMs: number; properties: Record<string, unknown>; channel: string | null; traits: Record<string, unknown> | null }
export interface RefPerson { id: string; firstSeenMs: number; lastSeenMs: number; memberId: string | null; stages: Map<string, number>; events: RefEvent[] }
export interface RefData { people: Map<string, RefPerson> }

export async function loadReference(store: Store, merchantId: string): Promise<RefData> {
  const db = store.db;
  const peopleRows = await db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).execute();
  const byId = new Map(peopleRows.map((row) => [row.id, row]));
  const rootOf = (id: string): string => {
    let row = byId.get(id);
    while (row?.merged_into_person_id) row = byId.get(row.merged_into_person_id);
    return row?.id ?? id;
  };
  const people = new Map<string, RefPerson>();
  for (const row of peopleRows) {
    const root = rootOf(row.id);
    const person = people.get(root) ?? { id: root, firstSeenMs: Infinity, lastSeenMs: -Infinity, memberId: null, stages: new Map(), events: [] };
    person.firstSeenMs = Math.min(person.firstSeenMs, row.first_seen_at_ms);
    person.lastSeenMs = Math.max(person.lastSeenMs, row.last_seen_at_ms);
    if (row.id === root) person.memberId = row.member_id;
    else person.memberId ??= row.member_id;
    people.set(root, person);
  }
  for (const row of await db.selectFrom('person_stages').selectAll().where('merchant_id', '=', merchantId).execute()) {
    if (rootOf(row.person_id) === row.person_id) people.get(row.person_id)?.stages.set(row.stage_key, row.reached_at_ms);
  }
  const eventRows = await db.selectFrom('events').selectAll().where('merchant_id', '=', merchantId).execute();
  for (const row of eventRows) {
    if (row.person_id === null) continue;
    const properties = row.properties_json ? JSON.parse(row.properties_json) : {};
    const touch = row.type === 'identify' || row.type === 'alias' ? null : touchOf(properties, row.context_json ? JSON.parse(row.context_json) : null);
    people.get(rootOf(row.person_id))?.events.push({
      id: row.id, root: rootOf(row.person_id), name: row.type === 'track' ? (row.event_name as string) : `$${row.type}`, ms: row.timestamp_ms,
      receivedMs: row.received_at_ms, properties, channel: touch ? classifyChannel(touch) : null,
      traits: row.type === 'identify' && row.traits_json ? JSON.parse(row.traits_json) : null,
    });
  }
  for (const person of people.values()) person.events.sort((a, b) => a.ms - b.ms || a.receivedMs - b.receivedMs || (a.id < b.id ? -1 : 1));
  return { people };
}

export function traitsOf(person: RefPerson): Record<string, unknown> {
  const identifies = person.events.filter((event) => event.traits);
  return Object.assign({}, ...identifies.map((event) => event.traits));
}

export function rangeOf(from: string, to: string, zone = 'Asia/Bangkok'): { startMs: number; endMs: number } {
  return { startMs: DateTime.fromISO(from, { zone }).toMillis(), endMs: DateTime.fromISO(to, { zone }).plus({ days: 1 }).toMillis() };
}

export function rank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

export interface RefMatcher { event: string; filters: PropertyFilter[] }
export function matches(matcher: RefMatcher, event: RefEvent): boolean {
  return event.name === matcher.event && matcher.filters.every((filter) => filterHolds(filter, indexedValue(event.properties[filter.property])));
}

/** The best attempt by brute force: every entry, every choice of events; the most steps, then the earliest entry. */
export function refAttempt(events: RefEvent[], steps: RefMatcher[], order: 'ordered' | 'strict' | 'any', windowMs: number, range: { startMs: number; endMs: number }): { reached: number; times: number[]; positions: number[] } {
  let best = { reached: 0, times: [] as number[], positions: [] as number[] };
  events.forEach((entry, i) => {
    if (entry.ms < range.startMs || entry.ms >= range.endMs) return;
    const within = (j: number) => (events[j] as RefEvent).ms - entry.ms <= windowMs;
    let attempt: { reached: number; times: number[]; positions: number[] };
    if (order === 'any') {
      if (!steps.some((step) => matches(step, entry))) return;
      const done = new Set<number>();
      const times: number[] = [];
      const positions: number[] = [];
      for (let j = i; j < events.length && (j === i || within(j)); j += 1) {
        steps.forEach((step, k) => { if (matches(step, events[j] as RefEvent)) done.add(k); });
        while (times.length < done.size) { times.push((events[j] as RefEvent).ms); positions.push(j); }
      }
      attempt = { reached: done.size, times, positions };
    } else {
      if (!matches(steps[0] as RefMatcher, entry)) return;
      // Exhaustive: the furthest step any chain of events reaches…
      const furthest = (k: number, last: number): number => {
        if (k === steps.length) return k;
        let most = k;
        for (let j = last + 1; j < events.length && within(j); j += 1) {
          if (order === 'strict' && j !== last + 1) break;
          if (matches(steps[k] as RefMatcher, events[j] as RefEvent)) most = Math.max(most, furthest(k + 1, j));
        }
        return most;
      };
      const reached = furthest(1, i);
      // …and the earliest event for each step after the one before.
      const positions = [i];
      for (let k = 1; k < reached; k += 1) {
        let j = (positions[k - 1] as number) + 1;
        if (order === 'ordered') while (!matches(steps[k] as RefMatcher, events[j] as RefEvent)) j += 1;
        positions.push(j);
      }
      attempt = { reached, times: positions.map((j) => (events[j] as RefEvent).ms), positions };
    }
    if (attempt.reached > best.reached) best = attempt;
  });
  return best;
}
