import { DomainError } from '../../domain/errors';
import { normalizeCouponCode } from '../../domain/rewards/reward';
import { findMerchantBySlug } from '../../store/merchant-store';
import { findReferrerOfCode } from '../../store/referrals-store';
import type { ServiceContext } from '../context';

/**
 * Where a referral link leads: the merchant's website with the code (`ref`) for its sign-up form and
 * UTM values that the channel rules read as a referral. Unknown codes still lead to the shop.
 */
export async function followReferralLink(ctx: ServiceContext, merchantSlug: string, code: string): Promise<string> {
  const merchant = await findMerchantBySlug(ctx.store.db, merchantSlug);
  if (!merchant) throw new DomainError('not_found', 'No such shop');
  if (!merchant.website_url) throw new DomainError('not_found', 'This shop has not set the website its referral links lead to');
  const target = new URL(merchant.website_url);
  const normalized = normalizeCouponCode(code);
  if (await findReferrerOfCode(ctx.store.db, merchant.id, normalized)) target.searchParams.set('ref', normalized);
  target.searchParams.set('utm_source', 'member_referral');
  target.searchParams.set('utm_medium', 'referral');
  target.searchParams.set('utm_campaign', 'referral');
  return target.toString();
}
