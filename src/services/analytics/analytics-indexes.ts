// Each merchant's analytics index, built from the store on first use and brought up to date before
// every query by reading what was stored since. Reads only: the store stays the source of truth.
import { AnalyticsIndex, analyticsEventName, type IndexedPerson } from '../../domain/analytics/analytics-index';
import { touchOf } from '../../domain/analytics/channels';
import {
  findPeopleMergedInto, listEventsReceivedSince, listMembersWithTierChangesSince, listMemberTiers, listPeoplePage, listPersonStagesPage, type EventCursor,
} from '../../store/analytics-store';
import { findPeople } from '../../store/identity-store';
import { findPersonStages } from '../../store/journey-store';
import type { Store } from '../../store/open-store';
import type { EventsTable, PeopleTable } from '../../store/schema';
import { findMemberTiers } from '../../store/tier-store';

/**
 * Events are read again from this long before the newest one seen: a transaction that stored an
 * event earlier but committed later (on PostgreSQL, or a retried batch) is still picked up. Ids
 * read within the overlap are remembered so nothing counts twice.
 */
export const refreshOverlapMs = 120_000;
const pageSize = 5000;

interface MerchantState {
  index: AnalyticsIndex;
  loaded: boolean;
  cursor: EventCursor | null;
  /** Ids of events received within the overlap of the newest, with their received time. */
  recentIds: Map<string, number>;
  newestReceivedAtMs: number;
  tiersCheckedAtMs: number;
  running: Promise<AnalyticsIndex> | null;
  queued: Promise<AnalyticsIndex> | null;
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function personOf(row: PeopleTable): IndexedPerson {
  return { id: row.id, mergedIntoPersonId: row.merged_into_person_id, memberId: row.member_id, firstSeenAtMs: row.first_seen_at_ms, lastSeenAtMs: row.last_seen_at_ms };
}

export class AnalyticsIndexes {
  private readonly merchants = new Map<string, MerchantState>();

  constructor(private readonly store: Store, private readonly nowMs: () => number) {}

  /** The merchant's index with everything stored so far; concurrent callers share one refresh. */
  async current(merchantId: string): Promise<AnalyticsIndex> {
    let state = this.merchants.get(merchantId);
    if (!state) {
      state = { index: new AnalyticsIndex(), loaded: false, cursor: null, recentIds: new Map(), newestReceivedAtMs: 0, tiersCheckedAtMs: 0, running: null, queued: null };
      this.merchants.set(merchantId, state);
    }
    if (state.queued) return state.queued;
    // A caller must see everything stored before it asked: while a refresh runs, queue one more
    // that everyone arriving meanwhile shares.
    const running = state;
    const previous = running.running ?? Promise.resolve(running.index);
    const next: Promise<AnalyticsIndex> = previous.catch(() => running.index).then(() => {
      running.queued = null;
      running.running = next;
      return this.refresh(merchantId, running);
    }).catch((error: unknown) => {
      // A half-applied refresh cannot be trusted: start over from the store next time.
      if (this.merchants.get(merchantId) === running) this.merchants.delete(merchantId);
      throw error;
    }).finally(() => {
      if (running.running === next) running.running = null;
    });
    running.queued = next;
    return next;
  }

  /** Drops every index (tests, or after a restore of the database). */
  clear(): void {
    this.merchants.clear();
  }

  private async refresh(merchantId: string, state: MerchantState): Promise<AnalyticsIndex> {
    const db = this.store.db;
    const { index } = state;
    const startedAtMs = this.nowMs();
    const touched = new Set<string>();
    // Read from the overlap before the newest event seen; skip what was read already.
    const fromMs = state.loaded ? state.newestReceivedAtMs - refreshOverlapMs : 0;
    let after: EventCursor | null = state.loaded ? null : state.cursor;
    for (;;) {
      const rows: EventsTable[] = await listEventsReceivedSince(db, merchantId, fromMs, after, pageSize);
      for (const row of rows) {
        if (state.recentIds.has(row.id) || row.person_id === null) continue;
        const name = analyticsEventName(row.type, row.event_name);
        const properties = parseJson(row.properties_json);
        index.appendEvent({
          personId: row.person_id, name, timestampMs: row.timestamp_ms, properties,
          touch: row.type === 'identify' || row.type === 'alias' ? null : touchOf(properties, parseJson(row.context_json)),
          traits: row.type === 'identify' ? parseJson(row.traits_json) : null,
        });
        state.recentIds.set(row.id, row.received_at_ms);
        if (row.received_at_ms > state.newestReceivedAtMs) state.newestReceivedAtMs = row.received_at_ms;
        if (state.loaded) touched.add(row.person_id);
      }
      const last = rows[rows.length - 1];
      if (last) after = { receivedAtMs: last.received_at_ms, id: last.id };
      this.forgetOldIds(state);
      if (rows.length < pageSize) break;
    }
    state.cursor = after;

    if (!state.loaded) {
      await this.loadAllPeople(merchantId, state);
      for (const row of await listMemberTiers(db, merchantId)) index.tiers.set(row.member_id, row.tier_key);
      state.loaded = true;
    } else if (touched.size > 0) {
      await this.reloadPeople(merchantId, state, [...touched]);
    }
    if (state.loaded) {
      const changedMembers = await listMembersWithTierChangesSince(db, merchantId, state.tiersCheckedAtMs - refreshOverlapMs);
      for (let start = 0; start < changedMembers.length; start += 500) {
        for (const row of await findMemberTiers(db, merchantId, changedMembers.slice(start, start + 500))) index.tiers.set(row.member_id, row.tier_key);
      }
    }
    state.tiersCheckedAtMs = startedAtMs;
    return index;
  }

  private forgetOldIds(state: MerchantState): void {
    if (state.recentIds.size < 50_000) return;
    const keepFromMs = state.newestReceivedAtMs - refreshOverlapMs;
    for (const [id, receivedAtMs] of state.recentIds) if (receivedAtMs < keepFromMs) state.recentIds.delete(id);
  }

  private async loadAllPeople(merchantId: string, state: MerchantState): Promise<void> {
    const db = this.store.db;
    let afterId: string | null = null;
    for (;;) {
      const rows = await listPeoplePage(db, merchantId, afterId, pageSize);
      for (const row of rows) state.index.upsertPerson(personOf(row));
      if (rows.length < pageSize) break;
      afterId = (rows[rows.length - 1] as PeopleTable).id;
    }
    let afterStage: { personId: string; stageKey: string } | null = null;
    for (;;) {
      const rows = await listPersonStagesPage(db, merchantId, afterStage, pageSize);
      for (const row of rows) state.index.setStage(row.person_id, row.stage_key, row.reached_at_ms);
      if (rows.length < pageSize) break;
      const last = rows[rows.length - 1] as { person_id: string; stage_key: string };
      afterStage = { personId: last.person_id, stageKey: last.stage_key };
    }
  }

  /** People whose events just arrived: their rows, the rows merged into them, and their stages. */
  private async reloadPeople(merchantId: string, state: MerchantState, personIds: string[]): Promise<void> {
    const db = this.store.db;
    const people = new Map<string, PeopleTable>();
    for (let start = 0; start < personIds.length; start += 500) {
      const chunk = personIds.slice(start, start + 500);
      for (const row of await findPeople(db, merchantId, chunk)) people.set(row.id, row);
      for (const row of await findPeopleMergedInto(db, merchantId, chunk)) people.set(row.id, row);
    }
    // A survivor of a merge may not have had an event of its own in this refresh.
    const survivors = [...people.values()].map((row) => row.merged_into_person_id).filter((id): id is string => id !== null && !people.has(id));
    for (let start = 0; start < survivors.length; start += 500) {
      for (const row of await findPeople(db, merchantId, survivors.slice(start, start + 500))) people.set(row.id, row);
    }
    for (const row of people.values()) state.index.upsertPerson(personOf(row));
    const ids = [...people.keys()];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const stages = new Map<string, { stageKey: string; reachedAtMs: number }[]>(chunk.map((id) => [id, []]));
      for (const row of await findPersonStages(db, merchantId, chunk)) stages.get(row.person_id)?.push({ stageKey: row.stage_key, reachedAtMs: row.reached_at_ms });
      for (const [personId, reached] of stages) state.index.setStages(personId, reached);
    }
  }
}
