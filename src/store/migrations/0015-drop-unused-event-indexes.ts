import { sql, type Kysely } from 'kysely';

// No query reads events by time, user id or anonymous id: the journey and timelines go by person,
// analytics by arrival, dedup by messageId. Each of these indexes cost ingestion a B-tree write per
// event (the user and anonymous ones at a random page), about a fifth of the events insert.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_by_time').ifExists().execute();
  await db.schema.dropIndex('events_by_user').ifExists().execute();
  await db.schema.dropIndex('events_by_anonymous').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_by_time').on('events').columns(['merchant_id', 'timestamp_ms']).execute();
  await db.schema.createIndex('events_by_user').on('events').columns(['merchant_id', 'user_id']).where(sql.ref('user_id'), 'is not', null).execute();
  await db.schema.createIndex('events_by_anonymous').on('events').columns(['merchant_id', 'anonymous_id']).where(sql.ref('anonymous_id'), 'is not', null).execute();
}
