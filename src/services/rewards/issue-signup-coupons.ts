import type { Transaction } from 'kysely';
import { isDomainError } from '../../domain/errors';
import { listSignupRewards } from '../../store/rewards-store';
import type { Database, RewardsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { takeCoupon } from './redeem-reward';

// A batch of events can make many members in one transaction; the gifts on offer stay the same in it.
const signupRewardsOfTransaction = new WeakMap<Transaction<Database>, Map<string, Promise<RewardsTable[]>>>();

function signupRewards(trx: Transaction<Database>, merchantId: string): Promise<RewardsTable[]> {
  const byMerchant = signupRewardsOfTransaction.get(trx) ?? new Map<string, Promise<RewardsTable[]>>();
  signupRewardsOfTransaction.set(trx, byMerchant);
  const rewards = byMerchant.get(merchantId) ?? listSignupRewards(trx, merchantId);
  byMerchant.set(merchantId, rewards);
  return rewards;
}

/**
 * Gives a new member the merchant's sign-up gifts (a first-purchase discount, say), in the
 * transaction that creates the member. A gift out of stock or out of its window is skipped.
 */
export async function issueSignupCoupons(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, memberId: string, nowMs: number): Promise<number> {
  let issued = 0;
  for (const reward of await signupRewards(trx, merchantId)) {
    try {
      await takeCoupon(ctx, trx, merchantId, reward.id, memberId, { status: 'issued', pointsCost: () => 0, requestKey: null, nowMs, memberTier: null });
      issued += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  return issued;
}
