import { randomBytes } from 'node:crypto';
import { DomainError, isDomainError } from '../../domain/errors';
import { assertRedeemable, couponCodeFrom, type Reward } from '../../domain/rewards/reward';
import { findMemberById } from '../../store/member-store';
import { retryOnConflict } from '../../store/retry';
import {
  claimRewardCode, countMemberCoupons, findCouponByCode, findCouponById, findCouponByRequestKey, insertCoupon, lockReward, releaseRewardCode,
  rewardFromRow, updateCoupon, updateRewardRow,
} from '../../store/rewards-store';
import type { CouponsTable, Database } from '../../store/schema';
import { findMemberTiers } from '../../store/tier-store';
import type { Transaction } from 'kysely';
import type { ServiceContext } from '../context';
import { spendPoints } from '../points/spend-points';
import { couponView, type CouponView } from './reward-views';

const dayMs = 86_400_000;

/** The ledger idempotency key of a coupon's points: a retry or a recovery never spends twice. */
export const couponSpendKey = (couponId: string) => `sentang:coupon:${couponId}`;

/**
 * Takes one unit of the reward's stock (and an uploaded code, if it hands those out) and writes the
 * coupon, under the reward's row lock, so stock is never oversold. The caller decides the status.
 */
export async function takeCoupon(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, rewardId: string, memberId: string,
  options: { status: 'pending' | 'issued'; pointsCost: (reward: Reward) => number; requestKey: string | null; nowMs: number; memberTier: string | null }): Promise<CouponsTable> {
  const row = await lockReward(trx, ctx.store.dialect, merchantId, rewardId);
  if (!row) throw new DomainError('reward_not_found', `No reward ${rewardId}`);
  const reward = rewardFromRow(row);
  assertRedeemable(reward, { nowMs: options.nowMs, memberTier: options.memberTier, redeemedByMember: await countMemberCoupons(trx, merchantId, memberId, rewardId) });
  if (reward.stockRemaining !== null && reward.stockRemaining <= 0) throw new DomainError('out_of_stock', 'This reward is out of stock');
  const couponId = ctx.newId('cpn');
  let code: string | null = null;
  if (reward.usesCodePool) {
    code = await claimRewardCode(trx, merchantId, rewardId, couponId);
    if (code === null) throw new DomainError('out_of_stock', 'This reward has no codes left');
  } else {
    for (let attempt = 0; attempt < 5 && code === null; attempt += 1) {
      const candidate = couponCodeFrom(randomBytes(10));
      if (!(await findCouponByCode(trx, merchantId, candidate))) code = candidate;
    }
    if (code === null) throw new Error('could not find a free coupon code');
  }
  if (reward.stockRemaining !== null) await updateRewardRow(trx, merchantId, rewardId, { stock_remaining: reward.stockRemaining - 1 });
  const coupon: CouponsTable = {
    merchant_id: merchantId, id: couponId, code, reward_id: rewardId, member_id: memberId, status: options.status, kind: reward.kind,
    value: reward.value, min_order_satang: reward.minOrderSatang, points_cost: options.pointsCost(reward), request_key: options.requestKey,
    spend_transaction_id: null, refund_transaction_id: null, issued_at_ms: options.nowMs, expires_at_ms: options.nowMs + reward.couponValidDays * dayMs,
    consumed_at_ms: null, consumed_order_id: null, consumed_discount_satang: null, cancelled_at_ms: null, cancel_reason: null,
    counter_code_hash: null, counter_code_expires_at_ms: null,
  };
  await insertCoupon(trx, coupon);
  return coupon;
}

/**
 * Redeems a reward for a member: takes the stock and writes a pending coupon in one transaction,
 * spends the points in the ledger (keyed by the coupon, so it happens once), then issues the
 * coupon. When the points do not cover it the stock goes back and nothing is spent. A crash between
 * the steps leaves a pending coupon that `reconcileRedemptions` finishes.
 */
export async function redeemReward(ctx: ServiceContext, merchantId: string, rewardId: string, input: { memberId: string }, idempotencyKey?: string | null): Promise<{ coupon: CouponView; replayed: boolean }> {
  const db = ctx.store.db;
  if (idempotencyKey) {
    const earlier = await findCouponByRequestKey(db, merchantId, idempotencyKey);
    if (earlier) return replay(ctx, merchantId, earlier, rewardId, input.memberId);
  }
  if (!(await findMemberById(db, merchantId, input.memberId))) throw new DomainError('member_not_found', `No member ${input.memberId}`);
  const memberTier = (await findMemberTiers(db, merchantId, [input.memberId]))[0]?.tier_key ?? null;
  let pending: CouponsTable;
  try {
    pending = await retryOnConflict(ctx.store.dialect, () => db.transaction().execute((trx) => takeCoupon(ctx, trx, merchantId, rewardId, input.memberId, {
      status: 'pending', pointsCost: (reward) => reward.costPoints, requestKey: idempotencyKey ?? null, nowMs: ctx.nowMs(), memberTier,
    })));
  } catch (error) {
    // The same key sent twice at once: the other request's coupon is the answer.
    if (idempotencyKey && ctx.store.dialect.isUniqueViolation(error)) {
      const earlier = await findCouponByRequestKey(db, merchantId, idempotencyKey);
      if (earlier) return replay(ctx, merchantId, earlier, rewardId, input.memberId);
    }
    throw error;
  }
  return { coupon: couponView(await finishRedemption(ctx, merchantId, pending), ctx.nowMs()), replayed: false };
}

async function replay(ctx: ServiceContext, merchantId: string, earlier: CouponsTable, rewardId: string, memberId: string): Promise<{ coupon: CouponView; replayed: boolean }> {
  if (earlier.reward_id !== rewardId || earlier.member_id !== memberId) {
    throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for a different redemption');
  }
  const finished = earlier.status === 'pending' ? await finishRedemption(ctx, merchantId, earlier) : earlier;
  return { coupon: couponView(finished, ctx.nowMs()), replayed: true };
}

/** Spends a pending coupon's points and issues it, or gives the stock back when the points are refused. */
export async function finishRedemption(ctx: ServiceContext, merchantId: string, coupon: CouponsTable): Promise<CouponsTable> {
  let spendTransactionId: string | null = null;
  if (coupon.points_cost > 0) {
    try {
      const result = await spendPoints(ctx, merchantId, { memberId: coupon.member_id, points: coupon.points_cost, reason: `Reward coupon ${coupon.code}` }, couponSpendKey(coupon.id));
      spendTransactionId = result.body.transaction?.id ?? null;
    } catch (error) {
      if (!isDomainError(error)) throw error; // unexpected: stays pending for the reconciler
      await giveBack(ctx, merchantId, coupon);
      throw error;
    }
  }
  await updateCoupon(ctx.store.db, merchantId, coupon.id, { status: 'issued', spend_transaction_id: spendTransactionId });
  return (await findCouponById(ctx.store.db, merchantId, coupon.id)) as CouponsTable;
}

async function giveBack(ctx: ServiceContext, merchantId: string, coupon: CouponsTable): Promise<void> {
  await retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockReward(trx, ctx.store.dialect, merchantId, coupon.reward_id);
    const current = await findCouponById(trx, merchantId, coupon.id);
    if (!row || current?.status !== 'pending') return;
    if (row.stock_remaining !== null) await updateRewardRow(trx, merchantId, coupon.reward_id, { stock_remaining: row.stock_remaining + 1 });
    if (row.uses_code_pool === 1) await releaseRewardCode(trx, merchantId, coupon.id);
    // Like a refused ledger command, a refused redemption is not remembered under its key: the
    // member may try again with the same key once they have the points.
    // The code is freed too: an uploaded one goes back to the pool for the next redemption.
    await updateCoupon(trx, merchantId, coupon.id, { status: 'failed', request_key: null, code: `FAILED-${coupon.id}` });
  }));
}
