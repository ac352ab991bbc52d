import type { Kysely, Transaction } from 'kysely';
import type { ApiKeysTable, Database } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function insertApiKey(db: Executor, row: ApiKeysTable): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function findApiKeyByHash(db: Executor, keyHash: string): Promise<ApiKeysTable | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export async function listApiKeys(db: Executor, merchantId: string): Promise<ApiKeysTable[]> {
  return db.selectFrom('api_keys').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at_ms').execute();
}

export async function revokeApiKey(db: Executor, merchantId: string, keyId: string, nowMs: number): Promise<number> {
  const result = await db.updateTable('api_keys').set({ revoked_at_ms: nowMs })
    .where('merchant_id', '=', merchantId).where('id', '=', keyId).where('revoked_at_ms', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
