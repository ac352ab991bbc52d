import { couponStatusAt, type CouponStatus, type Reward, type RewardKind } from '../../domain/rewards/reward';
import type { CouponsTable } from '../../store/schema';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface RewardView extends Omit<Reward, 'startsAtMs' | 'endsAtMs'> {
  startsAt: string | null;
  endsAt: string | null;
  freeCodes: number | null;
}

export function rewardView(reward: Reward, freeCodes: number | null = null): RewardView {
  const { startsAtMs, endsAtMs, ...rest } = reward;
  return { ...rest, startsAt: iso(startsAtMs), endsAt: iso(endsAtMs), freeCodes };
}

export interface CouponView {
  id: string;
  code: string;
  rewardId: string;
  memberId: string;
  status: CouponStatus;
  kind: RewardKind;
  value: number | null;
  minOrderSatang: number;
  pointsCost: number;
  issuedAt: string;
  expiresAt: string;
  consumedAt: string | null;
  consumedOrderId: string | null;
  discountSatang: number | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  spendTransactionId: string | null;
  refundTransactionId: string | null;
}

export function couponView(row: CouponsTable, nowMs: number): CouponView {
  return {
    id: row.id, code: row.code, rewardId: row.reward_id, memberId: row.member_id, status: couponStatusAt(row.status, row.expires_at_ms, nowMs),
    kind: row.kind as RewardKind, value: row.value, minOrderSatang: row.min_order_satang, pointsCost: row.points_cost,
    issuedAt: iso(row.issued_at_ms) as string, expiresAt: iso(row.expires_at_ms) as string, consumedAt: iso(row.consumed_at_ms),
    consumedOrderId: row.consumed_order_id, discountSatang: row.consumed_discount_satang, cancelledAt: iso(row.cancelled_at_ms),
    cancelReason: row.cancel_reason, spendTransactionId: row.spend_transaction_id, refundTransactionId: row.refund_transaction_id,
  };
}
