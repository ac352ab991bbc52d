import type { Kysely } from 'kysely';

// Share links, every click on one (with whether it counted), and the sign-ups and orders that came
// through them. Codes are random and looked up alone by /s/{code}; the key keeps merchant_id first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('share_links')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('share_links_pk', ['merchant_id', 'code'])
    .execute();
  await db.schema.createIndex('share_links_by_code').on('share_links').column('code').execute();
  await db.schema.createIndex('share_links_by_member').on('share_links').columns(['merchant_id', 'member_id']).execute();

  await db.schema
    .createTable('share_clicks')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('counted', 'integer', (c) => c.notNull())
    .addColumn('not_counted_because', 'text')
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('share_clicks_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema.createIndex('share_clicks_by_link_visitor').on('share_clicks').columns(['merchant_id', 'code', 'visitor_id']).execute();
  await db.schema.createIndex('share_clicks_by_visitor').on('share_clicks').columns(['merchant_id', 'visitor_id', 'at_ms']).execute();

  await db.schema
    .createTable('share_conversions')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('revenue_satang', 'bigint', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('share_conversions_pk', ['merchant_id', 'event_id'])
    .execute();
  await db.schema.createIndex('share_conversions_by_link').on('share_conversions').columns(['merchant_id', 'code']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['share_conversions', 'share_clicks', 'share_links']) await db.schema.dropTable(table).ifExists().execute();
}
