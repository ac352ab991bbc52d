import { sql, type Kysely } from 'kysely';

// The monthly transfer limit found a sender's transfers through an index of their own
// (merchant_id, member_id, created_at_ms where kind = 'transfer'). Members are scattered over it,
// so every transfer wrote a page of it, and on SQLite a page is a 4 KiB WAL frame to checksum,
// write, fsync and later checkpoint: in group commits of 28 commands of the ledger benchmark's mix
// (after 30,000 of them on 1,000 members), 6.5 of the 118.8 frames a commit. The limit now reads
// the sender's history index (merchant_id, member_id, id) from the first id of the period, since a
// transaction's id begins with its time (ledger-store.ts transfersSinceRead): 112.3 frames.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('points_transactions_transfers_by_member').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('points_transactions_transfers_by_member')
    .on('points_transactions')
    .columns(['merchant_id', 'member_id', 'created_at_ms'])
    .where(sql.ref('kind'), '=', 'transfer')
    .execute();
}
