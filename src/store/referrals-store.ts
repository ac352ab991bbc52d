// Every SQL statement of referral codes, referrals and the decisions taken on them.
import type { Kysely, Transaction } from 'kysely';
import type { StoreDialect } from './dialect';
import type { Database, ReferralDecisionsTable, ReferralsTable } from './schema';

type Executor = Kysely<Database> | Transaction<Database>;

export async function findReferralCodeOfMember(db: Executor, merchantId: string, memberId: string): Promise<string | null> {
  const row = await db.selectFrom('referral_codes').select('code').where('merchant_id', '=', merchantId).where('member_id', '=', memberId).executeTakeFirst();
  return row?.code ?? null;
}

export async function findReferrerOfCode(db: Executor, merchantId: string, code: string): Promise<string | null> {
  const row = await db.selectFrom('referral_codes').select('member_id').where('merchant_id', '=', merchantId).where('code', '=', code).executeTakeFirst();
  return row?.member_id ?? null;
}

/** Writes the member's code unless they have one already (another request may have just made it). */
export async function insertReferralCode(db: Executor, merchantId: string, memberId: string, code: string, nowMs: number): Promise<void> {
  await db.insertInto('referral_codes').values({ merchant_id: merchantId, code, member_id: memberId, created_at_ms: nowMs })
    .onConflict((conflict) => conflict.columns(['merchant_id', 'member_id']).doNothing()).execute();
}

export async function insertReferral(db: Executor, row: ReferralsTable): Promise<void> {
  await db.insertInto('referrals').values(row).execute();
}

export async function findReferral(db: Executor, merchantId: string, referralId: string): Promise<ReferralsTable | undefined> {
  return db.selectFrom('referrals').selectAll().where('merchant_id', '=', merchantId).where('id', '=', referralId).executeTakeFirst();
}

export async function lockReferral(trx: Transaction<Database>, dialect: StoreDialect, merchantId: string, referralId: string): Promise<ReferralsTable | undefined> {
  return dialect.lockRows(trx.selectFrom('referrals').selectAll().where('merchant_id', '=', merchantId).where('id', '=', referralId)).executeTakeFirst();
}

export async function findReferralOfReferee(db: Executor, merchantId: string, refereeMemberId: string): Promise<ReferralsTable | undefined> {
  return db.selectFrom('referrals').selectAll().where('merchant_id', '=', merchantId).where('referee_member_id', '=', refereeMemberId).executeTakeFirst();
}

export async function updateReferral(db: Executor, merchantId: string, referralId: string, changes: Partial<ReferralsTable>): Promise<void> {
  await db.updateTable('referrals').set(changes).where('merchant_id', '=', merchantId).where('id', '=', referralId).execute();
}

export async function countReferralsSince(db: Executor, merchantId: string, referrerMemberId: string, sinceMs: number): Promise<number> {
  const row = await db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('merchant_id', '=', merchantId).where('referrer_member_id', '=', referrerMemberId).where('created_at_ms', '>=', sinceMs).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function listReferralRows(db: Executor, merchantId: string, options: { status?: string | undefined; referrerMemberId?: string | undefined; afterId?: string | undefined; limit: number }): Promise<ReferralsTable[]> {
  let query = db.selectFrom('referrals').selectAll().where('merchant_id', '=', merchantId);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.referrerMemberId) query = query.where('referrer_member_id', '=', options.referrerMemberId);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.orderBy('id').limit(options.limit).execute();
}

/** Pending referrals whose friend is one of these members (for conversion at a first order). */
export async function findPendingReferralsOfReferees(db: Executor, merchantId: string, refereeMemberIds: string[]): Promise<ReferralsTable[]> {
  if (refereeMemberIds.length === 0) return [];
  return db.selectFrom('referrals').selectAll().where('merchant_id', '=', merchantId).where('status', '=', 'pending')
    .where('referee_member_id', 'in', refereeMemberIds).execute();
}

export async function insertReferralDecision(db: Executor, row: ReferralDecisionsTable): Promise<void> {
  await db.insertInto('referral_decisions').values(row).execute();
}

export async function listReferralDecisions(db: Executor, merchantId: string, referralId: string): Promise<ReferralDecisionsTable[]> {
  return db.selectFrom('referral_decisions').selectAll().where('merchant_id', '=', merchantId).where('referral_id', '=', referralId).orderBy('at_ms').orderBy('id').execute();
}
