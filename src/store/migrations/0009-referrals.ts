import { sql, type Kysely } from 'kysely';

// Referral codes (one per member), referrals with what the fraud checks found, and every decision
// taken on one, so a reviewer's approve or reject can always be traced.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('merchants').addColumn('website_url', 'text').execute();
  await db.schema.alterTable('merchants').addColumn('referral_converts_on', 'text', (c) => c.notNull().defaultTo('first_order')).execute();
  await db.schema.alterTable('merchants').addColumn('referral_weekly_limit', 'integer', (c) => c.notNull().defaultTo(10)).execute();

  await db.schema
    .createTable('referral_codes')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('referral_codes_pk', ['merchant_id', 'code'])
    .addUniqueConstraint('referral_codes_member_uq', ['merchant_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('referrals')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('referrer_member_id', 'text', (c) => c.notNull())
    .addColumn('referee_member_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('flags_json', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('device_id', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('converted_at_ms', 'bigint')
    .addPrimaryKeyConstraint('referrals_pk', ['merchant_id', 'id'])
    .addUniqueConstraint('referrals_referee_uq', ['merchant_id', 'referee_member_id'])
    .execute();
  await db.schema.createIndex('referrals_by_referrer').on('referrals').columns(['merchant_id', 'referrer_member_id', 'created_at_ms']).execute();
  await db.schema.createIndex('referrals_by_status').on('referrals').columns(['merchant_id', 'status', 'id']).execute();
  await db.schema.createIndex('referrals_by_ip').on('referrals').columns(['merchant_id', 'ip']).where(sql.ref('ip'), 'is not', null).execute();

  await db.schema
    .createTable('referral_decisions')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('referral_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('referral_decisions_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema.createIndex('referral_decisions_by_referral').on('referral_decisions').columns(['merchant_id', 'referral_id', 'at_ms']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['referral_decisions', 'referrals', 'referral_codes']) await db.schema.dropTable(table).ifExists().execute();
  for (const column of ['referral_weekly_limit', 'referral_converts_on', 'website_url']) await db.schema.alterTable('merchants').dropColumn(column).execute();
}
