import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/**
 * Spends points from available, unexpired lots, earliest expiry first. Fails with
 * `insufficient_points` and writes nothing when the balance does not cover it.
 * @example await spendPoints(ctx, merchantId, { memberId, points: 100, reason: 'free latte' }, 'redeem-77')
 */
export function spendPoints(ctx: ServiceContext, merchantId: string, input: { memberId: string; points: number; reason: string }, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.spend', requestBody: input, successStatus: 201,
    command: { type: 'spend', ...input },
  });
}
