import type { Kysely } from 'kysely';

// A merchant's LINE Login channel (the audience of the ID tokens its LIFF app hands members) and
// the LIFF app id the member portal starts LIFF with.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('merchants').addColumn('line_channel_id', 'text').execute();
  await db.schema.alterTable('merchants').addColumn('liff_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('merchants').dropColumn('liff_id').execute();
  await db.schema.alterTable('merchants').dropColumn('line_channel_id').execute();
}
