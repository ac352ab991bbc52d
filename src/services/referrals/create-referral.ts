import { assessReferral, weekMs, type ReferralParty } from '../../domain/referrals/assess-referral';
import { DomainError } from '../../domain/errors';
import { normalizeCouponCode } from '../../domain/rewards/reward';
import { listEventsOfPeople } from '../../store/event-store';
import { findMergedPersonIds, findPersonOfMember, listAnonymousIdsOfPeople } from '../../store/identity-store';
import { findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import { countReferralsSince, findReferralOfReferee, findReferrerOfCode, insertReferral, insertReferralDecision } from '../../store/referrals-store';
import { retryOnConflict } from '../../store/retry';
import type { MembersTable, ReferralsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { scheduleAwards } from '../rules/schedule-awards';
import { convertReferral, recordReferralEvents } from './convert-referral';
import { referralView, type ReferralView } from './referral-views';

export interface ReferralSignals { ip?: string | undefined; deviceId?: string | undefined }

/** What the store knows of a member that the fraud checks compare: contacts, devices, IPs, orders. */
async function partyOf(ctx: ServiceContext, merchantId: string, member: MembersTable, signals: ReferralSignals = {}): Promise<{ party: ReferralParty; hasOrdered: boolean }> {
  const db = ctx.store.db;
  const person = await findPersonOfMember(db, merchantId, member.id);
  const personIds = person ? await findMergedPersonIds(db, merchantId, person.id) : [];
  const events = await listEventsOfPeople(db, merchantId, personIds, 1000);
  const ips = new Set<string>();
  for (const event of events) {
    const ip = event.context_json ? (JSON.parse(event.context_json) as { ip?: unknown }).ip : undefined;
    if (typeof ip === 'string' && ip !== '') ips.add(ip);
  }
  if (signals.ip) ips.add(signals.ip);
  const deviceIds = await listAnonymousIdsOfPeople(db, merchantId, personIds);
  if (signals.deviceId) deviceIds.push(signals.deviceId);
  return {
    party: { memberId: member.id, phone: member.phone_e164, email: member.email, lineUserId: member.line_user_id, createdAtMs: member.created_at_ms, deviceIds, ips: [...ips] },
    hasOrdered: events.some((event) => event.type === 'track' && event.event_name === 'Order Completed'),
  };
}

/**
 * A friend signs up with a member's code. Self-referral is refused; a referral the fraud checks
 * doubt waits in the review queue with its reasons; a clean one is pending until the friend's first
 * order (or converts at once when the merchant converts on sign-up). One referral per friend.
 */
export async function createReferral(ctx: ServiceContext, merchantId: string, input: { code: string; refereeMemberId: string } & ReferralSignals): Promise<ReferralView> {
  const db = ctx.store.db;
  const merchant = await findMerchantById(db, merchantId);
  if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  const code = normalizeCouponCode(input.code);
  const referrerId = await findReferrerOfCode(db, merchantId, code);
  if (!referrerId) throw new DomainError('referral_not_found', `No referral code ${input.code}`);
  const [referrer, referee] = await Promise.all([findMemberById(db, merchantId, referrerId), findMemberById(db, merchantId, input.refereeMemberId)]);
  if (!referee) throw new DomainError('member_not_found', `No member ${input.refereeMemberId}`);
  if (!referrer) throw new DomainError('referral_not_found', `No referral code ${input.code}`);
  if (await findReferralOfReferee(db, merchantId, referee.id)) throw new DomainError('referral_exists', 'This member was already referred');
  const nowMs = ctx.nowMs();
  const [referrerParty, refereeParty] = await Promise.all([partyOf(ctx, merchantId, referrer), partyOf(ctx, merchantId, referee, input)]);
  const assessment = assessReferral({
    referrer: referrerParty.party, referee: refereeParty.party, refereeHasOrdered: refereeParty.hasOrdered,
    referrerReferralsThisWeek: await countReferralsSince(db, merchantId, referrer.id, nowMs - weekMs), weeklyLimit: merchant.referral_weekly_limit, nowMs,
  });
  if (assessment.refused) throw new DomainError('referral_refused', assessment.refused);
  const row: ReferralsTable = {
    merchant_id: merchantId, id: ctx.newId('ref'), code, referrer_member_id: referrer.id, referee_member_id: referee.id,
    status: assessment.flags.length > 0 ? 'flagged' : 'pending', flags_json: JSON.stringify(assessment.flags),
    ip: input.ip ?? null, device_id: input.deviceId ?? null, created_at_ms: nowMs, converted_at_ms: null,
  };
  const convertNow = row.status === 'pending' && merchant.referral_converts_on === 'signup';
  try {
    await retryOnConflict(ctx.store.dialect, () => db.transaction().execute(async (trx) => {
      await insertReferral(trx, row);
      await insertReferralDecision(trx, {
        merchant_id: merchantId, id: ctx.newId('rfd'), referral_id: row.id, action: row.status === 'flagged' ? 'flagged' : 'created',
        reason: assessment.flags.length > 0 ? assessment.flags.join(', ') : null, at_ms: nowMs,
      });
      if (convertNow) await convertReferral(ctx, trx, merchantId, row, nowMs);
    }));
  } catch (error) {
    if (ctx.store.dialect.isUniqueViolation(error)) throw new DomainError('referral_exists', 'This member was already referred');
    throw error;
  }
  if (convertNow) await afterConversion(ctx, merchantId, row);
  return referralView(convertNow ? { ...row, status: 'converted', converted_at_ms: nowMs } : row);
}

/** Points and journey events of a conversion, after its commit. */
export async function afterConversion(ctx: ServiceContext, merchantId: string, referral: ReferralsTable): Promise<void> {
  await scheduleAwards(ctx, merchantId);
  await recordReferralEvents(ctx, merchantId, referral).catch((error: unknown) => ctx.logger.warn({ err: error, referralId: referral.id }, 'could not record referral events'));
}
