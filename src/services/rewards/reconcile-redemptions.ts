import { listStaleCoupons } from '../../store/rewards-store';
import type { ServiceContext } from '../context';
import { finishRefund } from './coupon-operations';
import { finishRedemption } from './redeem-reward';

/** How long a redemption may sit between its steps before the sweep takes it to be abandoned. */
export const staleAfterMs = 60_000;

/**
 * Finishes what a crash left between two steps: pending redemptions are completed (the points step
 * is keyed by the coupon, so it spends at most once; a member who no longer has the points gets the
 * stock back) and cancelled coupons get their refund. Safe to run on every server at once.
 */
export async function reconcileRedemptions(ctx: ServiceContext, limit = 100): Promise<{ finished: number; failed: number }> {
  let finished = 0;
  let failed = 0;
  for (const coupon of await listStaleCoupons(ctx.store.db, ctx.nowMs() - staleAfterMs, limit)) {
    try {
      if (coupon.status === 'pending') await finishRedemption(ctx, coupon.merchant_id, coupon);
      else await finishRefund(ctx, coupon.merchant_id, coupon);
      finished += 1;
    } catch (error) {
      failed += 1;
      ctx.logger.warn({ err: error, couponId: coupon.id }, 'could not finish a redemption');
    }
  }
  return { finished, failed };
}
