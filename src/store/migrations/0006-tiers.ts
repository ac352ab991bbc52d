import type { Kysely } from 'kysely';

// Tier programs (one per merchant), each member's tier, and every change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tier_programs')
    .addColumn('merchant_id', 'text', (c) => c.primaryKey())
    .addColumn('program_json', 'text', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('member_tiers')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('tier_key', 'text', (c) => c.notNull())
    .addColumn('since_ms', 'bigint', (c) => c.notNull())
    .addColumn('below_since_ms', 'bigint')
    .addPrimaryKeyConstraint('member_tiers_pk', ['merchant_id', 'member_id'])
    .execute();
  await db.schema
    .createTable('tier_changes')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('from_tier', 'text')
    .addColumn('to_tier', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('qualifying_value', 'bigint', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tier_changes_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema.createIndex('tier_changes_by_member').on('tier_changes').columns(['merchant_id', 'member_id', 'at_ms']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['tier_changes', 'member_tiers', 'tier_programs']) await db.schema.dropTable(table).ifExists().execute();
}
