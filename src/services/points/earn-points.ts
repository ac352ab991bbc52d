import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

export interface EarnPointsInput {
  memberId: string;
  points: number;
  reason: string;
  /** Later than now makes the points pending until then. */
  availableAtMs?: number | undefined;
  /** Overrides the merchant's expiry policy; null for never. */
  expiresAtMs?: number | null | undefined;
}

/**
 * Credits a member with a new lot of points.
 * @example await earnPoints(ctx, merchantId, { memberId, points: 40, reason: 'order 1001' }, 'order-1001')
 */
export function earnPoints(ctx: ServiceContext, merchantId: string, input: EarnPointsInput, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.earn', requestBody: input, successStatus: 201,
    command: { type: 'earn', ...input },
  });
}
