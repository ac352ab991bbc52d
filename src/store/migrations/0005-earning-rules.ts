import { sql, type Kysely } from 'kysely';

// Earning rules, and the awards they decide: written in the ingest transaction (an outbox), applied
// to the ledger after it commits, so a crash between the two neither loses nor doubles points.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('earning_rules')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('conditions_json', 'text', (c) => c.notNull())
    .addColumn('award_json', 'text', (c) => c.notNull())
    .addColumn('caps_json', 'text', (c) => c.notNull())
    .addColumn('starts_at_ms', 'bigint')
    .addColumn('ends_at_ms', 'bigint')
    .addColumn('pending_days', 'integer', (c) => c.notNull())
    .addColumn('expires_in_days', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('earning_rules_pk', ['merchant_id', 'id'])
    .execute();

  await db.schema
    .createTable('point_awards')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('event_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('available_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint')
    .addColumn('reverses_award_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('failure', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('point_awards_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema.createIndex('point_awards_pending').on('point_awards').columns(['merchant_id', 'created_at_ms']).where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('point_awards_by_member_rule').on('point_awards').columns(['merchant_id', 'member_id', 'rule_id', 'event_at_ms']).execute();
  await db.schema.createIndex('point_awards_by_order').on('point_awards').columns(['merchant_id', 'order_id']).where(sql.ref('order_id'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('point_awards').ifExists().execute();
  await db.schema.dropTable('earning_rules').ifExists().execute();
}
