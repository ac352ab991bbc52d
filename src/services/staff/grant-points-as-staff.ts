import { DomainError } from '../../domain/errors';
import { periodStartMs } from '../../domain/rules/earning-rule';
import { cashierLimitProblem } from '../../domain/staff/roles';
import { findMerchantById } from '../../store/merchant-store';
import { insertPointGrant, sumPointGrantsSince } from '../../store/staff-store';
import type { ServiceContext } from '../context';
import { earnPoints } from '../points/earn-points';
import type { LedgerCommandResult } from '../points/ledger-pipeline';
import type { StaffPrincipal } from './staff-sessions';

/**
 * Points given by a signed-in staff member: a cashier stays within their per-transaction and per-day
 * limits (the day in the merchant's time zone); every grant is recorded against the staff member.
 */
export async function grantPointsAsStaff(ctx: ServiceContext, staff: StaffPrincipal, input: Parameters<typeof earnPoints>[2], idempotencyKey: string | null): Promise<LedgerCommandResult> {
  if (staff.role === 'cashier') {
    const merchant = await findMerchantById(ctx.store.db, staff.merchantId);
    const dayStartMs = periodStartMs('day', ctx.nowMs(), merchant?.time_zone ?? 'Asia/Bangkok');
    const given = await sumPointGrantsSince(ctx.store.db, staff.merchantId, staff.staffId, dayStartMs);
    const problem = cashierLimitProblem(staff.limits, input.points, given);
    if (problem) throw new DomainError('forbidden', problem, { limits: staff.limits, givenTodayPoints: given });
  }
  const result = await earnPoints(ctx, staff.merchantId, input, idempotencyKey);
  const transaction = result.body.transaction;
  if (transaction && !result.replayed) {
    await insertPointGrant(ctx.store.db, { merchant_id: staff.merchantId, transaction_id: transaction.id, staff_id: staff.staffId, points: transaction.points, at_ms: ctx.nowMs() });
  }
  return result;
}
