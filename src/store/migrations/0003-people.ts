import { sql, type Kysely } from 'kysely';

// People stitched from the ids their events carry. A merged person keeps its row, pointing at the
// person it joined, so events recorded under it still count for the survivor.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('member_id', 'text')
    .addColumn('merged_into_person_id', 'text')
    .addColumn('first_seen_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('people_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema.createIndex('people_by_member').on('people').columns(['merchant_id', 'member_id']).where(sql.ref('member_id'), 'is not', null).execute();
  await db.schema.createIndex('people_by_merged_into').on('people').columns(['merchant_id', 'merged_into_person_id']).where(sql.ref('merged_into_person_id'), 'is not', null).execute();

  await db.schema
    .createTable('person_identities')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_identities_pk', ['merchant_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('person_identities_by_person').on('person_identities').columns(['merchant_id', 'person_id']).execute();

  await db.schema
    .createTable('identity_conflicts')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('other_person_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_conflicts_pk', ['merchant_id', 'id'])
    .execute();

  await db.schema.alterTable('events').addColumn('person_id', 'text').execute();
  await db.schema.createIndex('events_by_person').on('events').columns(['merchant_id', 'person_id', 'timestamp_ms']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_by_person').ifExists().execute();
  await db.schema.alterTable('events').dropColumn('person_id').execute();
  for (const table of ['identity_conflicts', 'person_identities', 'people']) await db.schema.dropTable(table).ifExists().execute();
}
