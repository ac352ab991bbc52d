import type { Kysely } from 'kysely';

// User-generated content: uploads (files kept under the data directory) and the items members
// submit, with the moderation decision and the author's consent to show it publicly.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ugc_uploads')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ugc_uploads_pk', ['merchant_id', 'id'])
    .execute();
  await db.schema
    .createTable('ugc_items')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('upload_id', 'text')
    .addColumn('media_url', 'text')
    .addColumn('post_url', 'text')
    .addColumn('rating', 'integer')
    .addColumn('text', 'text')
    .addColumn('product_id', 'text')
    .addColumn('consent', 'integer', (c) => c.notNull())
    .addColumn('submitted_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('decided_at_ms', 'bigint')
    .addColumn('decision_reason', 'text')
    .addPrimaryKeyConstraint('ugc_items_pk', ['merchant_id', 'id'])
    .addUniqueConstraint('ugc_items_upload_uq', ['merchant_id', 'upload_id'])
    .execute();
  await db.schema.createIndex('ugc_items_by_status').on('ugc_items').columns(['merchant_id', 'status', 'id']).execute();
  await db.schema.createIndex('ugc_items_by_member').on('ugc_items').columns(['merchant_id', 'member_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ugc_items', 'ugc_uploads']) await db.schema.dropTable(table).ifExists().execute();
}
