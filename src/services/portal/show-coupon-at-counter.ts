import { DomainError } from '../../domain/errors';
import type { ServiceContext } from '../context';
import { createCounterCode, getCoupon } from '../rewards/coupon-operations';

/** A member asks for the 6-digit counter code of one of their own coupons (someone else's is not found). */
export async function showCouponAtCounter(ctx: ServiceContext, merchantId: string, memberId: string, code: string): Promise<{ counterCode: string; expiresAt: string }> {
  const coupon = await getCoupon(ctx, merchantId, code).catch(() => null);
  if (!coupon || coupon.memberId !== memberId) throw new DomainError('coupon_not_found', `No coupon ${code}`);
  return createCounterCode(ctx, merchantId, code);
}
