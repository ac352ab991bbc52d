import { DomainError } from '../../domain/errors';
import { listEventsOfPeople } from '../../store/event-store';
import { findMergedPersonIds, findPersonOfMember } from '../../store/identity-store';
import { findMerchantById } from '../../store/merchant-store';
import {
  findReferral, insertReferralDecision, listReferralDecisions, listReferralRows, lockReferral, updateReferral,
} from '../../store/referrals-store';
import { retryOnConflict } from '../../store/retry';
import type { Transaction } from 'kysely';
import type { Database, ReferralsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { convertReferral } from './convert-referral';
import { afterConversion } from './create-referral';
import { referralView, type ReferralStatus, type ReferralView } from './referral-views';

export async function listReferrals(ctx: ServiceContext, merchantId: string, options: { status?: ReferralStatus | undefined; referrerMemberId?: string | undefined; cursor?: string | undefined; limit: number }): Promise<{ referrals: ReferralView[]; nextCursor: string | null }> {
  const rows = await listReferralRows(ctx.store.db, merchantId, { status: options.status, referrerMemberId: options.referrerMemberId, afterId: options.cursor, limit: options.limit + 1 });
  const page = rows.slice(0, options.limit);
  return { referrals: page.map((row) => referralView(row)), nextCursor: rows.length > options.limit ? (page[page.length - 1] as ReferralsTable).id : null };
}

export async function getReferral(ctx: ServiceContext, merchantId: string, referralId: string): Promise<ReferralView> {
  const row = await findReferral(ctx.store.db, merchantId, referralId);
  if (!row) throw new DomainError('referral_not_found', `No referral ${referralId}`);
  return referralView(row, await listReferralDecisions(ctx.store.db, merchantId, referralId));
}

async function refereeHasOrderedSince(ctx: ServiceContext, merchantId: string, referral: ReferralsTable): Promise<boolean> {
  const person = await findPersonOfMember(ctx.store.db, merchantId, referral.referee_member_id);
  if (!person) return false;
  const events = await listEventsOfPeople(ctx.store.db, merchantId, await findMergedPersonIds(ctx.store.db, merchantId, person.id), 1000);
  return events.some((event) => event.event_name === 'Order Completed' && event.received_at_ms >= referral.created_at_ms);
}

/**
 * A reviewer clears a flagged referral. It then counts like a clean one: converted at once when the
 * merchant converts on sign-up or the friend has ordered since, otherwise pending until they do.
 */
export async function approveReferral(ctx: ServiceContext, merchantId: string, referralId: string, reason: string | null): Promise<ReferralView> {
  const merchant = await findMerchantById(ctx.store.db, merchantId);
  const found = await findReferral(ctx.store.db, merchantId, referralId);
  if (!merchant || !found) throw new DomainError('referral_not_found', `No referral ${referralId}`);
  const convert = merchant.referral_converts_on === 'signup' || (await refereeHasOrderedSince(ctx, merchantId, found));
  const decided = await decide(ctx, merchantId, referralId, 'approved', reason, async (trx, row, nowMs) => {
    if (convert) await convertReferral(ctx, trx, merchantId, row, nowMs);
    else await updateReferral(trx, merchantId, row.id, { status: 'pending' });
  });
  if (convert) await afterConversion(ctx, merchantId, decided);
  return getReferral(ctx, merchantId, referralId);
}

export async function rejectReferral(ctx: ServiceContext, merchantId: string, referralId: string, reason: string): Promise<ReferralView> {
  await decide(ctx, merchantId, referralId, 'rejected', reason, async (trx, row) => updateReferral(trx, merchantId, row.id, { status: 'rejected' }));
  return getReferral(ctx, merchantId, referralId);
}

/** Only a referral waiting for review (flagged) or for its order (pending) can be decided on. */
async function decide(ctx: ServiceContext, merchantId: string, referralId: string, action: 'approved' | 'rejected', reason: string | null,
  apply: (trx: Transaction<Database>, row: ReferralsTable, nowMs: number) => Promise<void>): Promise<ReferralsTable> {
  return retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockReferral(trx, ctx.store.dialect, merchantId, referralId);
    if (!row) throw new DomainError('referral_not_found', `No referral ${referralId}`);
    const allowed = action === 'approved' ? row.status === 'flagged' : row.status === 'flagged' || row.status === 'pending';
    if (!allowed) throw new DomainError('referral_already_decided', `This referral is ${row.status}`, { status: row.status });
    const nowMs = ctx.nowMs();
    await insertReferralDecision(trx, { merchant_id: merchantId, id: ctx.newId('rfd'), referral_id: row.id, action, reason, at_ms: nowMs });
    await apply(trx, row, nowMs);
    return row;
  }));
}
