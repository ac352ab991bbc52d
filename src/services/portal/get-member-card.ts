import { DomainError } from '../../domain/errors';
import { displayPhone } from '../../domain/members/normalize-contact';
import { findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import { findConsent } from '../../store/portal-store';
import { findMemberTiers, findTierProgram } from '../../store/tier-store';
import type { ServiceContext } from '../context';
import { getBalance } from '../points/get-balance';
import type { BalanceView } from '../points/points-views';
import { getReferralCode } from '../referrals/get-referral-code';

/** What the cashier's scanner reads from a member card's QR code. */
export const memberCardPrefix = 'SENTANG-MEMBER:';
export const memberCardPayload = (memberId: string) => `${memberCardPrefix}${memberId}`;

export interface MemberCard {
  member: { id: string; name: string | null; phone: string | null; phoneDisplay: string | null; email: string | null; memberSince: string };
  merchant: { name: string; slug: string; timeZone: string; currency: string; transferLimits: { minPoints: number; maxPoints: number | null; maxPointsPerMonth: number | null } };
  tier: { key: string; name: string; benefits: string } | null;
  balance: BalanceView;
  cardCode: string;
  referral: { code: string; path: string };
  consent: { marketing: boolean; updatedAt: string | null };
}

/** Everything the member card shows, in one answer: who, the shop, tier, balance, QR and referral code. */
export async function getMemberCard(ctx: ServiceContext, merchantId: string, memberId: string): Promise<MemberCard> {
  const db = ctx.store.db;
  const [member, merchant, program, tiers, consent] = await Promise.all([
    findMemberById(db, merchantId, memberId), findMerchantById(db, merchantId), findTierProgram(db, merchantId),
    findMemberTiers(db, merchantId, [memberId]), findConsent(db, merchantId, memberId),
  ]);
  if (!member || !merchant) throw new DomainError('member_not_found', `No member ${memberId}`);
  const tier = program?.tiers.find((definition) => definition.key === tiers[0]?.tier_key) ?? null;
  const { code } = await getReferralCode(ctx, merchantId, memberId);
  return {
    member: { id: member.id, name: member.name, phone: member.phone_e164, phoneDisplay: member.phone_e164 ? displayPhone(member.phone_e164) : null, email: member.email, memberSince: new Date(member.created_at_ms).toISOString() },
    merchant: {
      name: merchant.name, slug: merchant.slug, timeZone: merchant.time_zone, currency: merchant.currency,
      transferLimits: { minPoints: merchant.transfer_min_points, maxPoints: merchant.transfer_max_points, maxPointsPerMonth: merchant.transfer_max_points_per_month },
    },
    tier: tier ? { key: tier.key, name: tier.name, benefits: tier.benefits } : null,
    balance: await getBalance(ctx, merchantId, memberId),
    cardCode: memberCardPayload(memberId),
    referral: { code, path: `/r/${merchant.slug}/${code}` },
    consent: { marketing: consent?.marketing === 1, updatedAt: consent ? new Date(consent.updated_at_ms).toISOString() : null },
  };
}
