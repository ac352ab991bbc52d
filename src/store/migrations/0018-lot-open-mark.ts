import { sql, type Kysely } from 'kysely';

// A lot's place in the open-lot indexes hangs on a column of its own, is_open, set only when the
// lot empties or fills again. With the old predicates on points_remaining, every spend that left a
// lot partly used rewrote the lot's entry in point_lots_open_by_member (SQLite rewrites a partial
// index whenever an UPDATE sets a column its WHERE names): one more random page per spend in each
// group commit. On PostgreSQL such an update no longer touches an indexed column either, which
// lets it be a HOT update.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('point_lots').addColumn('is_open', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.updateTable('point_lots' as never).set({ is_open: 0 } as never).where(sql.ref('points_remaining'), '=', 0).execute();
  await db.schema.dropIndex('point_lots_open_by_member').ifExists().execute();
  await db.schema.dropIndex('point_lots_open_by_expiry').ifExists().execute();
  await db.schema.createIndex('point_lots_open_by_member').on('point_lots').columns(['merchant_id', 'member_id'])
    .where(sql.ref('is_open'), '=', 1).execute();
  // Debt lots (the only ones below zero) never have a date, so "open with a date" is what
  // "points_remaining > 0 with a date" was.
  await db.schema.createIndex('point_lots_open_by_expiry').on('point_lots').columns(['merchant_id', 'expires_at_ms'])
    .where(sql<boolean>`is_open = 1 and expires_at_ms is not null`).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('point_lots_open_by_member').ifExists().execute();
  await db.schema.dropIndex('point_lots_open_by_expiry').ifExists().execute();
  await db.schema.createIndex('point_lots_open_by_member').on('point_lots').columns(['merchant_id', 'member_id'])
    .where(sql.ref('points_remaining'), '<>', 0).execute();
  await db.schema.createIndex('point_lots_open_by_expiry').on('point_lots').columns(['merchant_id', 'expires_at_ms'])
    .where(sql<boolean>`points_remaining > 0 and expires_at_ms is not null`).execute();
  await db.schema.alterTable('point_lots').dropColumn('is_open').execute();
}
