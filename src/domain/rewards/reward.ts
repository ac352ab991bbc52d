// Rewards and the coupons they turn into: who may redeem what, when, and what a coupon is worth.
import { DomainError } from '../errors';

export const rewardKinds = ['amount_off', 'percent_off', 'free_item', 'gift'] as const;
export type RewardKind = (typeof rewardKinds)[number];

export interface Reward {
  id: string;
  nameTh: string;
  nameEn: string;
  descriptionTh: string;
  descriptionEn: string;
  imageUrl: string | null;
  kind: RewardKind;
  /** amount_off and free_item: satang; percent_off: whole percent; gift: null. */
  value: number | null;
  minOrderSatang: number;
  costPoints: number;
  stockTotal: number | null;
  stockRemaining: number | null;
  perMemberLimit: number | null;
  startsAtMs: number | null;
  endsAtMs: number | null;
  /** Tier keys that may redeem it; empty for everyone. */
  tiers: string[];
  couponValidDays: number;
  refundOnCancel: boolean;
  issueOnSignup: boolean;
  usesCodePool: boolean;
  active: boolean;
}

export function validateRewardValue(kind: RewardKind, value: number | null): void {
  if (kind === 'amount_off' && (value === null || value <= 0)) throw new DomainError('invalid_request', 'An amount_off reward needs value: the discount in satang');
  if (kind === 'percent_off' && (value === null || value < 1 || value > 100)) throw new DomainError('invalid_request', 'A percent_off reward needs value: a whole percent from 1 to 100');
  if (kind === 'gift' && value !== null) throw new DomainError('invalid_request', 'A gift has no value');
}

/** Throws unless the member may redeem the reward now. Stock is checked by the caller under lock. */
export function assertRedeemable(reward: Reward, context: { nowMs: number; memberTier: string | null; redeemedByMember: number }): void {
  if (!reward.active) throw new DomainError('reward_unavailable', 'This reward is not active');
  if (reward.startsAtMs !== null && context.nowMs < reward.startsAtMs) throw new DomainError('reward_unavailable', 'This reward cannot be redeemed yet', { startsAt: new Date(reward.startsAtMs).toISOString() });
  if (reward.endsAtMs !== null && context.nowMs >= reward.endsAtMs) throw new DomainError('reward_unavailable', 'This reward can no longer be redeemed', { endedAt: new Date(reward.endsAtMs).toISOString() });
  if (reward.tiers.length > 0 && (context.memberTier === null || !reward.tiers.includes(context.memberTier))) {
    throw new DomainError('reward_unavailable', `This reward is for the tiers ${reward.tiers.join(', ')}`, { memberTier: context.memberTier });
  }
  if (reward.perMemberLimit !== null && context.redeemedByMember >= reward.perMemberLimit) {
    throw new DomainError('redemption_limit_reached', `A member may redeem this reward ${reward.perMemberLimit} time(s)`, { limit: reward.perMemberLimit });
  }
}

export type CouponStatus = 'pending' | 'issued' | 'consumed' | 'cancelled' | 'expired' | 'failed';

/** A stored status as of now: an issued coupon past its date is expired without any sweep. */
export function couponStatusAt(storedStatus: string, expiresAtMs: number, nowMs: number): CouponStatus {
  if (storedStatus === 'issued' && nowMs >= expiresAtMs) return 'expired';
  // Cancelled, with its refund still being booked.
  if (storedStatus === 'refunding') return 'cancelled';
  return storedStatus as CouponStatus;
}

/** What the coupon takes off an order of this amount (satang, never more than the order). */
export function discountSatang(kind: RewardKind, value: number | null, orderAmountSatang: number): number {
  if (kind === 'amount_off' || kind === 'free_item') return Math.min(value ?? 0, orderAmountSatang);
  if (kind === 'percent_off') return Math.floor((orderAmountSatang * (value ?? 0)) / 100);
  return 0;
}

/** Unambiguous letters and digits (no 0/O, 1/I/L): codes are read aloud and typed at a counter. */
const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A coupon code from random bytes: 10 characters, about 49 bits. */
export function couponCodeFrom(randomBytes: Uint8Array): string {
  let code = '';
  for (let at = 0; at < 10; at += 1) code += codeAlphabet[(randomBytes[at] ?? 0) % codeAlphabet.length];
  return code;
}

/** Codes are compared without case, spaces or dashes, as people type them. */
export function normalizeCouponCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
