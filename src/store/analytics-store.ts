// The reads that build and refresh the analytics index: everything in pages, in a stable order.
import type { Kysely, Transaction } from 'kysely';
import type { Database, EventsTable, MemberTiersTable, PeopleTable, PersonStagesTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export type EventCursor = { receivedAtMs: number; id: string };

/** Events stored at or after `fromReceivedAtMs`, by (received time, id), after the cursor. */
export async function listEventsReceivedSince(db: Executor, merchantId: string, fromReceivedAtMs: number, after: EventCursor | null, limit: number): Promise<EventsTable[]> {
  let query = db.selectFrom('events').selectAll().where('merchant_id', '=', merchantId).where('received_at_ms', '>=', fromReceivedAtMs);
  if (after) {
    query = query.where((eb) => eb.or([
      eb('received_at_ms', '>', after.receivedAtMs),
      eb.and([eb('received_at_ms', '=', after.receivedAtMs), eb('id', '>', after.id)]),
    ]));
  }
  return query.orderBy('received_at_ms').orderBy('id').limit(limit).execute();
}

export async function listPeoplePage(db: Executor, merchantId: string, afterId: string | null, limit: number): Promise<PeopleTable[]> {
  let query = db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}

/** Everyone merged into one of these people (the rows a merge changed). */
export async function findPeopleMergedInto(db: Executor, merchantId: string, personIds: string[]): Promise<PeopleTable[]> {
  if (personIds.length === 0) return [];
  return db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).where('merged_into_person_id', 'in', personIds).execute();
}

export async function listPersonStagesPage(db: Executor, merchantId: string, after: { personId: string; stageKey: string } | null, limit: number): Promise<PersonStagesTable[]> {
  let query = db.selectFrom('person_stages').selectAll().where('merchant_id', '=', merchantId);
  if (after) {
    query = query.where((eb) => eb.or([
      eb('person_id', '>', after.personId),
      eb.and([eb('person_id', '=', after.personId), eb('stage_key', '>', after.stageKey)]),
    ]));
  }
  return query.orderBy('person_id').orderBy('stage_key').limit(limit).execute();
}

export async function listMemberTiers(db: Executor, merchantId: string): Promise<MemberTiersTable[]> {
  return db.selectFrom('member_tiers').selectAll().where('merchant_id', '=', merchantId).execute();
}

/** Members whose tier changed at or after the time. */
export async function listMembersWithTierChangesSince(db: Executor, merchantId: string, sinceMs: number): Promise<string[]> {
  const rows = await db.selectFrom('tier_changes').select('member_id').distinct().where('merchant_id', '=', merchantId).where('at_ms', '>=', sinceMs).execute();
  return rows.map((row) => row.member_id);
}
