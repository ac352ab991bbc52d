import type { Kysely, Transaction } from 'kysely';
import { mapRead, readOne, rowsRead, type PlannedRead } from './execute-together';
import type { Database, MerchantsTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function insertMerchant(db: Executor, row: MerchantsTable): Promise<void> {
  await db.insertInto('merchants').values(row).execute();
}

export async function findMerchantById(db: Executor, merchantId: string): Promise<MerchantsTable | undefined> {
  return readOne(db, merchantRead(db, merchantId));
}

/** findMerchantById as a read that can go out with others (see execute-together.ts). */
export function merchantRead(db: Executor, merchantId: string): PlannedRead<MerchantsTable | undefined> {
  return mapRead(rowsRead([db.selectFrom('merchants').selectAll().where('id', '=', merchantId)]), (rows) => rows[0]);
}

export async function findMerchantBySlug(db: Executor, slug: string): Promise<MerchantsTable | undefined> {
  return db.selectFrom('merchants').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listMerchants(db: Executor): Promise<MerchantsTable[]> {
  return db.selectFrom('merchants').selectAll().orderBy('created_at_ms').execute();
}

export async function updateMerchant(db: Executor, merchantId: string, changes: Partial<Omit<MerchantsTable, 'id' | 'created_at_ms'>>): Promise<void> {
  await db.updateTable('merchants').set(changes).where('id', '=', merchantId).execute();
}
