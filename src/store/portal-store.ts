import type { Kysely, Transaction } from 'kysely';
import type { Database, MemberConsentsTable, MemberSessionsTable, MemberSignInLinksTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function insertSignInLink(db: Executor, row: MemberSignInLinksTable): Promise<void> {
  await db.insertInto('member_sign_in_links').values(row).execute();
}

/**
 * Marks an unused, unexpired link used and returns it; undefined when it is unknown, expired or was
 * used already. One UPDATE, so two tabs opening the same link cannot both sign in.
 */
export async function useSignInLink(db: Executor, tokenHash: string, nowMs: number): Promise<MemberSignInLinksTable | undefined> {
  const updated = await db.updateTable('member_sign_in_links').set({ used_at_ms: nowMs })
    .where('token_hash', '=', tokenHash).where('used_at_ms', 'is', null).where('expires_at_ms', '>', nowMs)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('member_sign_in_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function insertMemberSession(db: Executor, row: MemberSessionsTable): Promise<void> {
  await db.insertInto('member_sessions').values(row).execute();
}

export async function findMemberSession(db: Executor, tokenHash: string): Promise<MemberSessionsTable | undefined> {
  return db.selectFrom('member_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteMemberSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('member_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function findConsent(db: Executor, merchantId: string, memberId: string): Promise<MemberConsentsTable | undefined> {
  return db.selectFrom('member_consents').selectAll().where('merchant_id', '=', merchantId).where('member_id', '=', memberId).executeTakeFirst();
}

export async function upsertConsent(db: Executor, row: MemberConsentsTable): Promise<void> {
  await db.insertInto('member_consents').values(row)
    .onConflict((conflict) => conflict.columns(['merchant_id', 'member_id']).doUpdateSet({ marketing: row.marketing, updated_at_ms: row.updated_at_ms }))
    .execute();
}
