// Every SQL statement of user-generated content.
import type { Kysely, Transaction } from 'kysely';
import type { StoreDialect } from './dialect';
import type { Database, UgcItemsTable, UgcUploadsTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function insertUpload(db: Executor, row: UgcUploadsTable): Promise<void> {
  await db.insertInto('ugc_uploads').values(row).execute();
}

export async function findUpload(db: Executor, merchantId: string, uploadId: string): Promise<UgcUploadsTable | undefined> {
  return db.selectFrom('ugc_uploads').selectAll().where('merchant_id', '=', merchantId).where('id', '=', uploadId).executeTakeFirst();
}

export async function insertUgcItem(db: Executor, row: UgcItemsTable): Promise<void> {
  await db.insertInto('ugc_items').values(row).execute();
}

export async function findUgcItem(db: Executor, merchantId: string, itemId: string): Promise<UgcItemsTable | undefined> {
  return db.selectFrom('ugc_items').selectAll().where('merchant_id', '=', merchantId).where('id', '=', itemId).executeTakeFirst();
}

export async function lockUgcItem(trx: Transaction<Database>, dialect: StoreDialect, merchantId: string, itemId: string): Promise<UgcItemsTable | undefined> {
  return dialect.lockRows(trx.selectFrom('ugc_items').selectAll().where('merchant_id', '=', merchantId).where('id', '=', itemId)).executeTakeFirst();
}

export async function updateUgcItem(db: Executor, merchantId: string, itemId: string, changes: Partial<UgcItemsTable>): Promise<void> {
  await db.updateTable('ugc_items').set(changes).where('merchant_id', '=', merchantId).where('id', '=', itemId).execute();
}

export async function listUgcRows(db: Executor, merchantId: string, options: { status?: string | undefined; memberId?: string | undefined; afterId?: string | undefined; limit: number }): Promise<UgcItemsTable[]> {
  let query = db.selectFrom('ugc_items').selectAll().where('merchant_id', '=', merchantId);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.memberId) query = query.where('member_id', '=', options.memberId);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.orderBy('id').limit(options.limit).execute();
}

/** What the public may see: approved, with the author's consent, newest first. */
export async function listPublicUgc(db: Executor, merchantId: string, options: { productId?: string | undefined; limit: number }): Promise<UgcItemsTable[]> {
  let query = db.selectFrom('ugc_items').selectAll().where('merchant_id', '=', merchantId).where('status', '=', 'approved').where('consent', '=', 1);
  if (options.productId) query = query.where('product_id', '=', options.productId);
  return query.orderBy('decided_at_ms', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}
