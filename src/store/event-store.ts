import type { Kysely, Transaction } from 'kysely';
import type { IngestedEvent } from '../domain/events/parse-segment-message';
import type { StoreDialect } from './dialect';
import type { Database, EventsTable } from './schema';
import { chunk } from './chunk';

type Executor = Kysely<Database> | Transaction<Database>;

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Stores events; one whose messageId the merchant already has is skipped. Returns how many were new. */
export async function insertEvents(db: Executor, dialect: StoreDialect, merchantId: string, events: { id: string; event: IngestedEvent; personId: string | null }[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows: EventsTable[] = events.map(({ id, event, personId }) => ({
    merchant_id: merchantId, id, message_id: event.messageId, type: event.type, event_name: event.eventName,
    user_id: event.userId, anonymous_id: event.anonymousId, previous_id: event.previousId, group_id: event.groupId,
    properties_json: json(event.properties), traits_json: json(event.traits), context_json: json(event.context),
    timestamp_ms: event.timestampMs, original_timestamp_ms: event.originalTimestampMs, sent_at_ms: event.sentAtMs, received_at_ms: event.receivedAtMs,
    person_id: personId,
  }));
  const perStatement = Math.max(1, Math.floor(dialect.maxBindParameters / 17));
  let inserted = 0;
  for (const page of chunk(rows, perStatement)) {
    const result = await db.insertInto('events').values(page)
      .onConflict((conflict) => conflict.columns(['merchant_id', 'message_id']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export async function listEvents(db: Executor, merchantId: string, options: { limit: number; afterId?: string | null | undefined }): Promise<EventsTable[]> {
  let query = db.selectFrom('events').selectAll().where('merchant_id', '=', merchantId);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.orderBy('id').limit(options.limit).execute();
}

/** Events of some people (a person and those merged into it), oldest first. */
export async function listEventsOfPeople(db: Executor, merchantId: string, personIds: string[], limit: number): Promise<EventsTable[]> {
  if (personIds.length === 0) return [];
  return db.selectFrom('events').selectAll().where('merchant_id', '=', merchantId).where('person_id', 'in', personIds)
    .orderBy('timestamp_ms').orderBy('id').limit(limit).execute();
}

/** Which of these messageIds the merchant already has. */
export async function findStoredMessageIds(db: Executor, merchantId: string, messageIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const page of chunk(messageIds)) {
    const rows = await db.selectFrom('events').select('message_id').where('merchant_id', '=', merchantId)
      .where('message_id', 'in', page).execute();
    rows.forEach((row) => found.add(row.message_id));
  }
  return found;
}
