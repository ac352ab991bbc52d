import { sql } from 'kysely';
import { DomainError } from '../../domain/errors';
import { findMerchantById } from '../../store/merchant-store';
import type { ServiceContext } from '../context';

export interface Overview {
  members: number;
  activeMembers30d: number;
  points: { issued: number; redeemed: number; expired: number; adjusted: number; outstanding: number };
}

/**
 * The dashboard's headline numbers: members, members active in the last 30 days, and the points
 * issued, redeemed, expired and still owed (the liability: every member wallet and hold).
 */
export async function getOverview(ctx: ServiceContext, merchantId: string): Promise<Overview> {
  const db = ctx.store.db;
  if (!(await findMerchantById(db, merchantId))) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  const members = await db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('count')).where('merchant_id', '=', merchantId).executeTakeFirst();
  const active = await db.selectFrom('people').select(sql<number>`count(distinct member_id)`.as('count'))
    .where('merchant_id', '=', merchantId).where('member_id', 'is not', null).where('last_seen_at_ms', '>=', ctx.nowMs() - 30 * 86_400_000).executeTakeFirst();
  const sums = await db.selectFrom('ledger_entries').select(['account', sql<number>`sum(points)`.as('total')])
    .where('merchant_id', '=', merchantId).groupBy('account').execute();
  const total = (account: string) => Number(sums.find((row) => row.account === account)?.total ?? 0);
  return {
    members: Number(members?.count ?? 0),
    activeMembers30d: Number(active?.count ?? 0),
    points: {
      issued: -total('merchant_issued'), redeemed: total('merchant_redeemed'), expired: total('merchant_expired'),
      adjusted: total('merchant_adjustments'), outstanding: total('member_wallet') + total('member_held'),
    },
  };
}
