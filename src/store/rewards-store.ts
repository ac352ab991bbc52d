// Every SQL statement of rewards, reward codes and coupons.
import type { Kysely, Transaction } from 'kysely';
import type { Reward, RewardKind } from '../domain/rewards/reward';
import type { StoreDialect } from './dialect';
import type { CouponsTable, Database, RewardsTable } from './schema';
import { chunk } from './chunk';

type Executor = Kysely<Database> | Transaction<Database>;

export function rewardFromRow(row: RewardsTable): Reward {
  return {
    id: row.id, nameTh: row.name_th, nameEn: row.name_en, descriptionTh: row.description_th, descriptionEn: row.description_en,
    imageUrl: row.image_url, kind: row.kind as RewardKind, value: row.value, minOrderSatang: row.min_order_satang, costPoints: row.cost_points,
    stockTotal: row.stock_total, stockRemaining: row.stock_remaining, perMemberLimit: row.per_member_limit,
    startsAtMs: row.starts_at_ms, endsAtMs: row.ends_at_ms, tiers: JSON.parse(row.tiers_json) as string[],
    couponValidDays: row.coupon_valid_days, refundOnCancel: row.refund_on_cancel === 1, issueOnSignup: row.issue_on_signup === 1,
    usesCodePool: row.uses_code_pool === 1, active: row.active === 1,
  };
}

export function rewardToRow(merchantId: string, reward: Reward, createdAtMs: number, updatedAtMs: number): RewardsTable {
  return {
    merchant_id: merchantId, id: reward.id, name_th: reward.nameTh, name_en: reward.nameEn, description_th: reward.descriptionTh,
    description_en: reward.descriptionEn, image_url: reward.imageUrl, kind: reward.kind, value: reward.value, min_order_satang: reward.minOrderSatang,
    cost_points: reward.costPoints, stock_total: reward.stockTotal, stock_remaining: reward.stockRemaining, per_member_limit: reward.perMemberLimit,
    starts_at_ms: reward.startsAtMs, ends_at_ms: reward.endsAtMs, tiers_json: JSON.stringify(reward.tiers), coupon_valid_days: reward.couponValidDays,
    refund_on_cancel: reward.refundOnCancel ? 1 : 0, issue_on_signup: reward.issueOnSignup ? 1 : 0, uses_code_pool: reward.usesCodePool ? 1 : 0,
    active: reward.active ? 1 : 0, created_at_ms: createdAtMs, updated_at_ms: updatedAtMs,
  };
}

export async function insertReward(db: Executor, row: RewardsTable): Promise<void> {
  await db.insertInto('rewards').values(row).execute();
}

export async function updateRewardRow(db: Executor, merchantId: string, rewardId: string, changes: Partial<RewardsTable>): Promise<void> {
  await db.updateTable('rewards').set(changes).where('merchant_id', '=', merchantId).where('id', '=', rewardId).execute();
}

export async function findReward(db: Executor, merchantId: string, rewardId: string): Promise<RewardsTable | undefined> {
  return db.selectFrom('rewards').selectAll().where('merchant_id', '=', merchantId).where('id', '=', rewardId).executeTakeFirst();
}

/** The reward row, locked until the transaction ends: redemptions of one reward queue here. */
export async function lockReward(trx: Transaction<Database>, dialect: StoreDialect, merchantId: string, rewardId: string): Promise<RewardsTable | undefined> {
  return dialect.lockRows(trx.selectFrom('rewards').selectAll().where('merchant_id', '=', merchantId).where('id', '=', rewardId)).executeTakeFirst();
}

export async function listRewardRows(db: Executor, merchantId: string): Promise<RewardsTable[]> {
  return db.selectFrom('rewards').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at_ms').orderBy('id').execute();
}

export async function listSignupRewards(db: Executor, merchantId: string): Promise<RewardsTable[]> {
  return db.selectFrom('rewards').selectAll().where('merchant_id', '=', merchantId).where('issue_on_signup', '=', 1).where('active', '=', 1).execute();
}

export async function countMemberCoupons(db: Executor, merchantId: string, memberId: string, rewardId: string): Promise<number> {
  const row = await db.selectFrom('coupons').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('merchant_id', '=', merchantId).where('member_id', '=', memberId).where('reward_id', '=', rewardId)
    .where('status', 'not in', ['cancelled', 'failed']).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function insertRewardCodes(db: Executor, merchantId: string, rewardId: string, codes: string[], nowMs: number): Promise<number> {
  let inserted = 0;
  for (const page of chunk(codes)) {
    const result = await db.insertInto('reward_codes')
      .values(page.map((code) => ({ merchant_id: merchantId, reward_id: rewardId, code, coupon_id: null, uploaded_at_ms: nowMs })))
      .onConflict((conflict) => conflict.columns(['merchant_id', 'reward_id', 'code']).doNothing()).executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** Takes the first free uploaded code for the coupon; null when none is left. */
export async function claimRewardCode(trx: Transaction<Database>, merchantId: string, rewardId: string, couponId: string): Promise<string | null> {
  const free = await trx.selectFrom('reward_codes').select('code').where('merchant_id', '=', merchantId).where('reward_id', '=', rewardId)
    .where('coupon_id', 'is', null).orderBy('code').limit(1).executeTakeFirst();
  if (!free) return null;
  await trx.updateTable('reward_codes').set({ coupon_id: couponId }).where('merchant_id', '=', merchantId).where('reward_id', '=', rewardId).where('code', '=', free.code).execute();
  return free.code;
}

export async function releaseRewardCode(db: Executor, merchantId: string, couponId: string): Promise<void> {
  await db.updateTable('reward_codes').set({ coupon_id: null }).where('merchant_id', '=', merchantId).where('coupon_id', '=', couponId).execute();
}

export async function countFreeRewardCodes(db: Executor, merchantId: string, rewardId: string): Promise<number> {
  const row = await db.selectFrom('reward_codes').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('merchant_id', '=', merchantId).where('reward_id', '=', rewardId).where('coupon_id', 'is', null).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function insertCoupon(db: Executor, row: CouponsTable): Promise<void> {
  await db.insertInto('coupons').values(row).execute();
}

export async function updateCoupon(db: Executor, merchantId: string, couponId: string, changes: Partial<CouponsTable>): Promise<void> {
  await db.updateTable('coupons').set(changes).where('merchant_id', '=', merchantId).where('id', '=', couponId).execute();
}

export async function findCouponByCode(db: Executor, merchantId: string, code: string): Promise<CouponsTable | undefined> {
  return db.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).where('code', '=', code).executeTakeFirst();
}

export async function lockCouponByCode(trx: Transaction<Database>, dialect: StoreDialect, merchantId: string, code: string): Promise<CouponsTable | undefined> {
  return dialect.lockRows(trx.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).where('code', '=', code)).executeTakeFirst();
}

export async function findCouponById(db: Executor, merchantId: string, couponId: string): Promise<CouponsTable | undefined> {
  return db.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).where('id', '=', couponId).executeTakeFirst();
}

export async function findCouponByRequestKey(db: Executor, merchantId: string, requestKey: string): Promise<CouponsTable | undefined> {
  return db.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).where('request_key', '=', requestKey).executeTakeFirst();
}

export async function findCouponByCounterCode(db: Executor, merchantId: string, codeHash: string, nowMs: number): Promise<CouponsTable | undefined> {
  return db.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).where('counter_code_hash', '=', codeHash)
    .where('counter_code_expires_at_ms', '>', nowMs).executeTakeFirst();
}

export async function listMemberCouponRows(db: Executor, merchantId: string, memberId: string): Promise<CouponsTable[]> {
  return db.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).where('member_id', '=', memberId)
    .where('status', '!=', 'failed').orderBy('issued_at_ms', 'desc').orderBy('id', 'desc').execute();
}

/** Coupons a crash left between two steps: redemptions without their spend, cancellations without their refund. */
export async function listStaleCoupons(db: Executor, olderThanMs: number, limit: number): Promise<CouponsTable[]> {
  return db.selectFrom('coupons').selectAll()
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'pending'), eb('issued_at_ms', '<', olderThanMs)]),
      eb.and([eb('status', '=', 'refunding'), eb('cancelled_at_ms', '<', olderThanMs)]),
    ]))
    .limit(limit).execute();
}
