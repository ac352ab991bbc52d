import type { Kysely } from 'kysely';

// Journey stages: each merchant's definitions (the six defaults apply until it saves its own) and
// the first time each person reached each stage.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stage_definitions')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rules_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stage_definitions_pk', ['merchant_id', 'key'])
    .execute();
  await db.schema
    .createTable('person_stages')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('stage_key', 'text', (c) => c.notNull())
    .addColumn('reached_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_stages_pk', ['merchant_id', 'person_id', 'stage_key'])
    .execute();
  await db.schema.createIndex('person_stages_by_stage').on('person_stages').columns(['merchant_id', 'stage_key', 'reached_at_ms']).execute();
  await db.schema.alterTable('merchants').addColumn('at_risk_days', 'integer', (c) => c.notNull().defaultTo(60)).execute();
  await db.schema.createIndex('events_by_person_name').on('events').columns(['merchant_id', 'person_id', 'event_name', 'timestamp_ms']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_by_person_name').ifExists().execute();
  await db.schema.alterTable('merchants').dropColumn('at_risk_days').execute();
  await db.schema.dropTable('person_stages').ifExists().execute();
  await db.schema.dropTable('stage_definitions').ifExists().execute();
}
