import { sql, type Kysely } from 'kysely';

// The rewards catalogue, codes uploaded for rewards that use a partner's codes, and the coupons
// members get: one per redemption (or per sign-up gift), with its counter code while one is live.
// A coupon copies the reward's terms, so editing the reward later does not change issued coupons.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rewards')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name_th', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_th', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('image_url', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint')
    .addColumn('min_order_satang', 'bigint', (c) => c.notNull())
    .addColumn('cost_points', 'bigint', (c) => c.notNull())
    .addColumn('stock_total', 'bigint')
    .addColumn('stock_remaining', 'bigint')
    .addColumn('per_member_limit', 'integer')
    .addColumn('starts_at_ms', 'bigint')
    .addColumn('ends_at_ms', 'bigint')
    .addColumn('tiers_json', 'text', (c) => c.notNull())
    .addColumn('coupon_valid_days', 'integer', (c) => c.notNull())
    .addColumn('refund_on_cancel', 'integer', (c) => c.notNull())
    .addColumn('issue_on_signup', 'integer', (c) => c.notNull())
    .addColumn('uses_code_pool', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rewards_pk', ['merchant_id', 'id'])
    .execute();

  await db.schema
    .createTable('reward_codes')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('reward_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('coupon_id', 'text')
    .addColumn('uploaded_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reward_codes_pk', ['merchant_id', 'reward_id', 'code'])
    .execute();
  await db.schema.createIndex('reward_codes_free').on('reward_codes').columns(['merchant_id', 'reward_id', 'code']).where(sql.ref('coupon_id'), 'is', null).execute();

  await db.schema
    .createTable('coupons')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reward_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint')
    .addColumn('min_order_satang', 'bigint', (c) => c.notNull())
    .addColumn('points_cost', 'bigint', (c) => c.notNull())
    .addColumn('request_key', 'text')
    .addColumn('spend_transaction_id', 'text')
    .addColumn('refund_transaction_id', 'text')
    .addColumn('issued_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at_ms', 'bigint')
    .addColumn('consumed_order_id', 'text')
    .addColumn('consumed_discount_satang', 'bigint')
    .addColumn('cancelled_at_ms', 'bigint')
    .addColumn('cancel_reason', 'text')
    .addColumn('counter_code_hash', 'text')
    .addColumn('counter_code_expires_at_ms', 'bigint')
    .addPrimaryKeyConstraint('coupons_pk', ['merchant_id', 'id'])
    .addUniqueConstraint('coupons_code_uq', ['merchant_id', 'code'])
    .addUniqueConstraint('coupons_request_key_uq', ['merchant_id', 'request_key'])
    .execute();
  await db.schema.createIndex('coupons_by_member').on('coupons').columns(['merchant_id', 'member_id', 'reward_id']).execute();
  await db.schema.createIndex('coupons_unfinished').on('coupons').columns(['status']).where(sql.ref('status'), 'in', sql`('pending', 'refunding')`).execute();
  await db.schema.createIndex('coupons_by_counter_code').on('coupons').columns(['merchant_id', 'counter_code_hash']).where(sql.ref('counter_code_hash'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['coupons', 'reward_codes', 'rewards']) await db.schema.dropTable(table).ifExists().execute();
}
