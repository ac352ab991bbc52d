import type { Transaction } from 'kysely';
import { basePoints } from '../../domain/rules/earning-rule';
import { findPeople, findPersonOfMember } from '../../store/identity-store';
import { findPendingReferralsOfReferees, insertReferralDecision, updateReferral } from '../../store/referrals-store';
import { insertAwards, listRules } from '../../store/rules-store';
import type { Database, PointAwardsTable, ReferralsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { ingestEvents } from '../events/ingest-events';

const dayMs = 86_400_000;
export const referrerEvent = 'Referral Converted';
export const refereeEvent = 'Referral Accepted';

/** The message id of a referral's event for one side: it is also the key of the award it earns. */
export const referralMessageId = (referralId: string, role: 'referrer' | 'referee') => `referral-${referralId}-${role}`;

/**
 * Marks the referral converted and writes what the merchant's `Referral Converted` (referrer) and
 * `Referral Accepted` (friend) rules give to the award outbox, in the caller's transaction. An
 * award's id is the rule and the referral, so converting twice can never pay twice.
 */
export async function convertReferral(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, referral: ReferralsTable, nowMs: number): Promise<void> {
  await updateReferral(trx, merchantId, referral.id, { status: 'converted', converted_at_ms: nowMs });
  await insertReferralDecision(trx, { merchant_id: merchantId, id: ctx.newId('rfd'), referral_id: referral.id, action: 'converted', reason: null, at_ms: nowMs });
  const rules = (await listRules(trx, merchantId, true)).filter((rule) => rule.event === referrerEvent || rule.event === refereeEvent);
  const awards: PointAwardsTable[] = [];
  for (const rule of rules) {
    const role = rule.event === referrerEvent ? 'referrer' : 'referee';
    const memberId = role === 'referrer' ? referral.referrer_member_id : referral.referee_member_id;
    const points = basePoints(rule, { name: rule.event, type: 'track', properties: { role, referralId: referral.id }, timestampMs: nowMs });
    if (points <= 0) continue;
    const availableAtMs = nowMs + rule.pendingDays * dayMs;
    awards.push({
      merchant_id: merchantId, id: `${rule.id}:${referralMessageId(referral.id, role)}`, kind: 'earn', rule_id: rule.id, member_id: memberId, points,
      event_id: referralMessageId(referral.id, role), order_id: null, event_at_ms: nowMs, available_at_ms: availableAtMs,
      expires_at_ms: rule.expiresInDays === null ? null : availableAtMs + rule.expiresInDays * dayMs,
      reverses_award_id: null, status: 'pending', transaction_id: null, failure: null, created_at_ms: nowMs,
    });
  }
  await insertAwards(trx, awards);
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
export async function convertReferralsOnOrders(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, personIds: string[], nowMs: number): Promise<ReferralsTable[]> {
  const people = await findPeople(trx, merchantId, personIds);
  const memberIds = [...new Set(people.flatMap((person) => (person.member_id ? [person.member_id] : [])))];
  const pending = await findPendingReferralsOfReferees(trx, merchantId, memberIds);
  for (const referral of pending) await convertReferral(ctx, trx, merchantId, referral, nowMs);
  return pending;
}
