import type { Transaction } from 'kysely';
import { findPersonOfMember } from '../../store/identity-store';
import { findPendingReferralsOfReferees, insertReferralDecision, updateReferral } from '../../store/referrals-store';
import type { Database, ReferralsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { ingestEvents } from '../events/ingest-events';
import { awardMemberEvent } from '../rules/award-member-event';

export const referrerEvent = 'Referral Converted';
export const refereeEvent = 'Referral Accepted';

/** The message id of a referral's event for one side: it is also the key of the award it earns. */
export const referralMessageId = (referralId: string, role: 'referrer' | 'referee') => `referral-${referralId}-${role}`;

/**
 * Marks the referral converted and writes what the merchant's `Referral Converted` (referrer) and
 * `Referral Accepted` (friend) rules give to the award outbox, in the caller's transaction. An
 * award's id is the rule and the referral, so converting twice can never pay twice; the award keys
 * are the message ids of the journey events, so recording those later adds nothing.
 */
export async function convertReferral(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, referral: ReferralsTable, nowMs: number): Promise<void> {
  await updateReferral(trx, merchantId, referral.id, { status: 'converted', converted_at_ms: nowMs });
  await insertReferralDecision(trx, { merchant_id: merchantId, id: ctx.newId('rfd'), referral_id: referral.id, action: 'converted', reason: null, at_ms: nowMs });
  for (const role of ['referrer', 'referee'] as const) {
    await awardMemberEvent(trx, merchantId, role === 'referrer' ? referral.referrer_member_id : referral.referee_member_id, {
      name: role === 'referrer' ? referrerEvent : refereeEvent, properties: { role, referralId: referral.id },
      timestampMs: nowMs, awardKey: referralMessageId(referral.id, role),
    }, nowMs);
  }
}

/**
 * After the commit: records the referral on both people's journeys (the referrer reaches Advocacy)
 * for members that have a person with a user id. The message ids make a repeat harmless.
 */
export async function recordReferralEvents(ctx: ServiceContext, merchantId: string, referral: ReferralsTable): Promise<void> {
  for (const role of ['referrer', 'referee'] as const) {
    const memberId = role === 'referrer' ? referral.referrer_member_id : referral.referee_member_id;
    const person = await findPersonOfMember(ctx.store.db, merchantId, memberId);
    if (!person?.user_id) continue;
    await ingestEvents(ctx, merchantId, [{
      type: 'track', event: role === 'referrer' ? referrerEvent : refereeEvent, userId: person.user_id, messageId: referralMessageId(referral.id, role),
      timestamp: new Date(ctx.nowMs()).toISOString(), properties: { role, referralId: referral.id, friendMemberId: referral.referee_member_id },
    }], null);
  }
}

/** In the ingest transaction: a friend's first order converts their pending referral. */
export async function convertReferralsOnOrders(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, memberIds: string[], nowMs: number): Promise<ReferralsTable[]> {
  if (memberIds.length === 0) return [];
  const pending = await findPendingReferralsOfReferees(trx, merchantId, memberIds);
  for (const referral of pending) await convertReferral(ctx, trx, merchantId, referral, nowMs);
  return pending;
}
