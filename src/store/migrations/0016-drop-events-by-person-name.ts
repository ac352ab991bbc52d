import type { Kysely } from 'kysely';

// Count rules read a person's events through events_by_person (merchant, person, time) and keep the
// names they count; that index also serves timelines. A second per-person index, with the event name,
// cost ingestion one more B-tree write at a random page per event and saved the count rules little:
// they read every event of the few people in a batch either way.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_by_person_name').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_by_person_name').on('events').columns(['merchant_id', 'person_id', 'event_name', 'timestamp_ms']).execute();
}
