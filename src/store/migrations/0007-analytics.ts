import type { Kysely } from 'kysely';

// The analytics index reads events in the order they were stored (received time, then id) to stay
// current; merchants may add their own channel rules ahead of the default ones.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_by_received').on('events').columns(['merchant_id', 'received_at_ms', 'id']).execute();
  await db.schema.alterTable('merchants').addColumn('channel_rules_json', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('merchants').dropColumn('channel_rules_json').execute();
  await db.schema.dropIndex('events_by_received').ifExists().execute();
}
