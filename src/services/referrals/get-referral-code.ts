import { randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import { couponCodeFrom } from '../../domain/rewards/reward';
import { findMemberById } from '../../store/member-store';
import { findReferralCodeOfMember, insertReferralCode } from '../../store/referrals-store';
import type { ServiceContext } from '../context';

/** The member's referral code, made on first ask; the link is `/r/{code}` on this server. */
export async function getReferralCode(ctx: ServiceContext, merchantId: string, memberId: string): Promise<{ memberId: string; code: string; path: string }> {
  if (!(await findMemberById(ctx.store.db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`);
  let code = await findReferralCodeOfMember(ctx.store.db, merchantId, memberId);
  for (let attempt = 0; code === null && attempt < 5; attempt += 1) {
    try {
      // Eight readable characters: short enough to say at the counter.
      await insertReferralCode(ctx.store.db, merchantId, memberId, couponCodeFrom(randomBytes(10)).slice(0, 8), ctx.nowMs());
    } catch (error) {
      if (!ctx.store.dialect.isUniqueViolation(error)) throw error; // another member holds that code: draw again
    }
    code = await findReferralCodeOfMember(ctx.store.db, merchantId, memberId);
  }
  if (code === null) throw new Error('could not make a referral code');
  return { memberId, code, path: `/r/${code}` };
}
