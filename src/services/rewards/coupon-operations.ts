import { createHash, randomInt } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import { couponStatusAt, discountSatang, normalizeCouponCode, type RewardKind } from '../../domain/rewards/reward';
import { retryOnConflict } from '../../store/retry';
import {
  findCouponByCode, findCouponByCounterCode, findCouponById, listMemberCouponRows, lockCouponByCode, lockReward, updateCoupon, updateRewardRow,
} from '../../store/rewards-store';
import { findMemberById } from '../../store/member-store';
import type { CouponsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { earnPoints } from '../points/earn-points';
import { couponView, type CouponView } from './reward-views';

const counterCodeLifetimeMs = 5 * 60_000;
export const couponRefundKey = (couponId: string) => `sentang:coupon-refund:${couponId}`;

async function couponByCode(ctx: ServiceContext, merchantId: string, code: string): Promise<CouponsTable> {
  const row = await findCouponByCode(ctx.store.db, merchantId, normalizeCouponCode(code));
  if (!row || row.status === 'failed' || row.status === 'pending') throw new DomainError('coupon_not_found', `No coupon ${code}`);
  return row;
}

export async function getCoupon(ctx: ServiceContext, merchantId: string, code: string): Promise<CouponView> {
  return couponView(await couponByCode(ctx, merchantId, code), ctx.nowMs());
}

export async function listMemberCoupons(ctx: ServiceContext, merchantId: string, memberId: string): Promise<CouponView[]> {
  if (!(await findMemberById(ctx.store.db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`);
  const nowMs = ctx.nowMs();
  return (await listMemberCouponRows(ctx.store.db, merchantId, memberId)).filter((row) => row.status !== 'pending').map((row) => couponView(row, nowMs));
}

function unusable(row: CouponsTable, nowMs: number): DomainError | null {
  const status = couponStatusAt(row.status, row.expires_at_ms, nowMs);
  if (status === 'issued') return null;
  const message = { consumed: 'This coupon has been used', cancelled: 'This coupon was cancelled', expired: 'This coupon has expired' }[status as string]
    ?? 'This coupon cannot be used';
  return new DomainError('coupon_not_usable', message, { status });
}

/** Would the coupon apply to an order of this amount, and for how much? Changes nothing. */
export async function validateCoupon(ctx: ServiceContext, merchantId: string, input: { code: string; orderAmountSatang: number }): Promise<{ valid: boolean; reason: string | null; discountSatang: number; coupon: CouponView }> {
  const row = await couponByCode(ctx, merchantId, input.code);
  const nowMs = ctx.nowMs();
  const problem = unusable(row, nowMs);
  const coupon = couponView(row, nowMs);
  if (problem) return { valid: false, reason: problem.message, discountSatang: 0, coupon };
  if (input.orderAmountSatang < row.min_order_satang) return { valid: false, reason: `The order must be at least ${row.min_order_satang} satang`, discountSatang: 0, coupon };
  return { valid: true, reason: null, discountSatang: discountSatang(row.kind as RewardKind, row.value, input.orderAmountSatang), coupon };
}

/**
 * Uses the coupon once. Consuming it again for the same order answers as the first time (a retried
 * checkout); for another order it is refused.
 */
export async function consumeCoupon(ctx: ServiceContext, merchantId: string, code: string, input: { orderId?: string | undefined; orderAmountSatang?: number | undefined }): Promise<CouponView> {
  const normalized = normalizeCouponCode(code);
  return retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockCouponByCode(trx, ctx.store.dialect, merchantId, normalized);
    if (!row || row.status === 'failed' || row.status === 'pending') throw new DomainError('coupon_not_found', `No coupon ${code}`);
    const nowMs = ctx.nowMs();
    if (row.status === 'consumed') {
      if (input.orderId !== undefined && row.consumed_order_id === input.orderId) return couponView(row, nowMs);
      throw new DomainError('coupon_already_used', 'This coupon has been used', { consumedAt: new Date(row.consumed_at_ms as number).toISOString() });
    }
    const problem = unusable(row, nowMs);
    if (problem) throw problem;
    if (input.orderAmountSatang !== undefined && input.orderAmountSatang < row.min_order_satang) {
      throw new DomainError('order_below_minimum', `The order must be at least ${row.min_order_satang} satang`, { minOrderSatang: row.min_order_satang });
    }
    const changes = {
      status: 'consumed', consumed_at_ms: nowMs, consumed_order_id: input.orderId ?? null, counter_code_hash: null, counter_code_expires_at_ms: null,
      consumed_discount_satang: input.orderAmountSatang === undefined ? null : discountSatang(row.kind as RewardKind, row.value, input.orderAmountSatang),
    };
    await updateCoupon(trx, merchantId, row.id, changes);
    return couponView({ ...row, ...changes }, nowMs);
  }));
}

/**
 * Cancels an unused coupon: its stock goes back and, if the reward says so, its points are
 * refunded as a new earn (keyed by the coupon, so a retry refunds once).
 */
export async function cancelCoupon(ctx: ServiceContext, merchantId: string, code: string, input: { reason: string }): Promise<CouponView> {
  const normalized = normalizeCouponCode(code);
  const cancelled = await retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    const found = await findCouponByCode(trx, merchantId, normalized);
    if (!found || found.status === 'failed' || found.status === 'pending') throw new DomainError('coupon_not_found', `No coupon ${code}`);
    const reward = await lockReward(trx, ctx.store.dialect, merchantId, found.reward_id);
    const row = await lockCouponByCode(trx, ctx.store.dialect, merchantId, normalized) as CouponsTable;
    if (row.status === 'cancelled' || row.status === 'refunding') return row;
    const problem = unusable(row, ctx.nowMs());
    if (problem) throw problem;
    const refund = reward?.refund_on_cancel === 1 && row.points_cost > 0;
    if (reward && reward.stock_remaining !== null && reward.uses_code_pool !== 1) await updateRewardRow(trx, merchantId, reward.id, { stock_remaining: reward.stock_remaining + 1 });
    const changes = { status: refund ? 'refunding' : 'cancelled', cancelled_at_ms: ctx.nowMs(), cancel_reason: input.reason, counter_code_hash: null, counter_code_expires_at_ms: null };
    await updateCoupon(trx, merchantId, row.id, changes);
    return { ...row, ...changes };
  }));
  const finished = cancelled.status === 'refunding' ? await finishRefund(ctx, merchantId, cancelled) : cancelled;
  return couponView(finished, ctx.nowMs());
}

/** Books the refund of a cancelled coupon's points, once. */
export async function finishRefund(ctx: ServiceContext, merchantId: string, coupon: CouponsTable): Promise<CouponsTable> {
  const result = await earnPoints(ctx, merchantId, { memberId: coupon.member_id, points: coupon.points_cost, reason: `Refund of coupon ${coupon.code}` }, couponRefundKey(coupon.id));
  await updateCoupon(ctx.store.db, merchantId, coupon.id, { status: 'cancelled', refund_transaction_id: result.body.transaction?.id ?? null });
  return (await findCouponById(ctx.store.db, merchantId, coupon.id)) as CouponsTable;
}

const hashCounterCode = (counterCode: string) => createHash('sha256').update(counterCode).digest('hex');

/** A 6-digit code for the counter, valid for 5 minutes; a new one replaces the last. */
export async function createCounterCode(ctx: ServiceContext, merchantId: string, code: string): Promise<{ counterCode: string; expiresAt: string }> {
  const row = await couponByCode(ctx, merchantId, code);
  const nowMs = ctx.nowMs();
  const problem = unusable(row, nowMs);
  if (problem) throw problem;
  // Codes are short, so make sure no other live coupon of the merchant holds the same one.
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const counterCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const holder = await findCouponByCounterCode(ctx.store.db, merchantId, hashCounterCode(counterCode), nowMs);
    if (holder && holder.id !== row.id) continue;
    const expiresAtMs = nowMs + counterCodeLifetimeMs;
    await updateCoupon(ctx.store.db, merchantId, row.id, { counter_code_hash: hashCounterCode(counterCode), counter_code_expires_at_ms: expiresAtMs });
    return { counterCode, expiresAt: new Date(expiresAtMs).toISOString() };
  }
  throw new DomainError('rate_limited', 'Too many live counter codes; try again in a minute');
}

/** Wrong counter codes per merchant, to slow down guessing: at most 10 in 5 minutes (per server). */
const failures = new Map<string, number[]>();
const failureWindowMs = 5 * 60_000;
const maxFailures = 10;

/** The cashier's side: consumes the coupon the member's live counter code belongs to. */
export async function consumeByCounterCode(ctx: ServiceContext, merchantId: string, input: { counterCode: string; orderId?: string | undefined; orderAmountSatang?: number | undefined }): Promise<CouponView> {
  const nowMs = ctx.nowMs();
  const recent = (failures.get(merchantId) ?? []).filter((atMs) => atMs > nowMs - failureWindowMs);
  if (recent.length >= maxFailures) throw new DomainError('rate_limited', 'Too many wrong counter codes; wait a few minutes', { retryAfterSeconds: Math.ceil(((recent[0] as number) + failureWindowMs - nowMs) / 1000) });
  const row = await findCouponByCounterCode(ctx.store.db, merchantId, hashCounterCode(input.counterCode), nowMs);
  if (!row) {
    failures.set(merchantId, [...recent, nowMs]);
    throw new DomainError('coupon_not_found', 'No live coupon has this counter code; it may have expired');
  }
  return consumeCoupon(ctx, merchantId, row.code, { orderId: input.orderId, orderAmountSatang: input.orderAmountSatang });
}

