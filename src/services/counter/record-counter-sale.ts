import { DomainError } from '../../domain/errors';
import { cashierLimitProblem } from '../../domain/staff/roles';
import { periodStartMs } from '../../domain/rules/earning-rule';
import { findMemberBy, findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import { retryOnConflict } from '../../store/retry';
import { findPointGrant, insertPointGrant, sumPointGrantsSince } from '../../store/staff-store';
import type { ServiceContext } from '../context';
import { createMember } from '../members/create-member';
import { memberColumns } from '../members/member-fields';
import { ingestEvents } from '../events/ingest-events';
import { userIdForMember } from '../identity/user-id-for-member';
import { getBalance } from '../points/get-balance';
import type { BalanceView } from '../points/points-views';
import { awardMemberEvent } from '../rules/award-member-event';
import { scheduleAwards } from '../rules/schedule-awards';
import { memberCardPrefix } from '../portal/get-member-card';
import type { StaffPrincipal } from '../staff/staff-sessions';

export const counterSaleEvent = 'Order Completed';

/** The member whose card QR code the cashier scanned; another shop's card is not found. */
async function memberOfCard(ctx: ServiceContext, merchantId: string, memberCard: string) {
  const memberId = memberCard.startsWith(memberCardPrefix) ? memberCard.slice(memberCardPrefix.length) : null;
  const member = memberId ? await findMemberById(ctx.store.db, merchantId, memberId) : undefined;
  if (!member) throw new DomainError('member_not_found', 'This member card is not one of this shop');
  return member;
}

/** The member with this phone number; an unknown number makes a member (with their sign-up gifts). */
async function memberOfPhone(ctx: ServiceContext, merchantId: string, rawPhone: string) {
  const phone = memberColumns({ phone: rawPhone }).phone_e164 as string;
  let member = await findMemberBy(ctx.store.db, merchantId, 'phone_e164', phone);
  let newMember = false;
  if (!member) {
    try {
      await createMember(ctx, merchantId, { phone: rawPhone });
      newMember = true;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'member_conflict')) throw error; // made at the same moment by another till
    }
    member = await findMemberBy(ctx.store.db, merchantId, 'phone_e164', phone);
  }
  if (!member) throw new Error(`member with phone ${phone} could not be made`);
  return { member, newMember };
}

/**
 * A sale at the counter: the member by phone number (a new number makes a member, with their
 * sign-up gifts) or by their member card's QR code, and the points the merchant's `Order Completed`
 * rules give for the amount — caps, tier multiplier and a cashier's limits included. `saleId` makes
 * a retry from the till harmless.
 */
export async function recordCounterSale(ctx: ServiceContext, merchantId: string, staff: StaffPrincipal | null,
  input: { phone?: string | undefined; memberCard?: string | undefined; amountSatang: number; saleId: string }): Promise<{ memberId: string; newMember: boolean; pointsAwarded: number; balance: BalanceView }> {
  const found = input.memberCard !== undefined ? { member: await memberOfCard(ctx, merchantId, input.memberCard), newMember: false }
    : input.phone !== undefined ? await memberOfPhone(ctx, merchantId, input.phone)
      : null;
  if (!found) throw new DomainError('invalid_request', 'Name the member by phone or by the code of their member card');
  const { member, newMember } = found;
  const memberId = member.id;
  const merchant = await findMerchantById(ctx.store.db, merchantId);
  const nowMs = ctx.nowMs();
  const grantKey = `counter:${input.saleId}`;
  const pointsAwarded = await retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    // A retried sale answers as the first time.
    const earlier = await findPointGrant(trx, merchantId, grantKey);
    if (earlier) return earlier.points;
    const points = await awardMemberEvent(trx, merchantId, memberId, {
      name: counterSaleEvent, properties: { revenue: input.amountSatang / 100, orderId: input.saleId, channel: 'counter' }, timestampMs: nowMs, awardKey: grantKey,
    }, nowMs);
    if (staff?.role === 'cashier') {
      const given = await sumPointGrantsSince(trx, merchantId, staff.staffId, periodStartMs('day', nowMs, merchant?.time_zone ?? 'Asia/Bangkok'));
      const problem = cashierLimitProblem(staff.limits, points, given);
      if (problem) throw new DomainError('forbidden', problem, { limits: staff.limits, givenTodayPoints: given });
    }
    // Recorded for API-key sales too (staff id "api"), so a retry is recognised either way.
    await insertPointGrant(trx, { merchant_id: merchantId, transaction_id: grantKey, staff_id: staff?.staffId ?? 'api', points, at_ms: nowMs });
    return points;
  }));
  await scheduleAwards(ctx, merchantId);
  // The sale as an event too, so counter customers move through the journey (Purchase, Loyalty)
  // and show in analytics. Its message id is the award key: the rules, which paid above, do not
  // pay again; a retried sale is the same message, stored once.
  await userIdForMember(ctx, merchantId, memberId)
    .then((userId) => ingestEvents(ctx, merchantId, [{
      type: 'track', event: counterSaleEvent, userId, messageId: grantKey, timestamp: new Date(nowMs).toISOString(),
      properties: { revenue: input.amountSatang / 100, orderId: input.saleId, channel: 'counter' },
    }], null))
    .catch((error: unknown) => ctx.logger.warn({ err: error, saleId: input.saleId }, 'could not record the counter sale as an event'));
  return { memberId, newMember, pointsAwarded, balance: await getBalance(ctx, merchantId, memberId) };
}
