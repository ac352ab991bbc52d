import { sql, type Kysely } from 'kysely';

// Raw customer events as received over the Segment HTTP API, one row per message. messageId is
// unique per merchant: a redelivered message is stored once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('event_name', 'text')
    .addColumn('user_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('previous_id', 'text')
    .addColumn('group_id', 'text')
    .addColumn('properties_json', 'text')
    .addColumn('traits_json', 'text')
    .addColumn('context_json', 'text')
    .addColumn('timestamp_ms', 'bigint', (c) => c.notNull())
    .addColumn('original_timestamp_ms', 'bigint')
    .addColumn('sent_at_ms', 'bigint')
    .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['merchant_id', 'id'])
    .addUniqueConstraint('events_message_id_uq', ['merchant_id', 'message_id'])
    .execute();
  await db.schema.createIndex('events_by_time').on('events').columns(['merchant_id', 'timestamp_ms']).execute();
  await db.schema.createIndex('events_by_user').on('events').columns(['merchant_id', 'user_id']).where(sql.ref('user_id'), 'is not', null).execute();
  await db.schema.createIndex('events_by_anonymous').on('events').columns(['merchant_id', 'anonymous_id']).where(sql.ref('anonymous_id'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events').ifExists().execute();
}
