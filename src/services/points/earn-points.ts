import type { ServiceContext } from '../context';
import { upgradeTiers } from '../tiers/upgrade-tiers';
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
export async function earnPoints(ctx: ServiceContext, merchantId: string, input: EarnPointsInput, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  const result = await ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.earn', requestBody: input, successStatus: 201,
    command: { type: 'earn', ...input },
  });
  // Tiers on points earned move up as soon as the threshold is crossed; not awaited, off the answer's path.
  if (!result.replayed) ctx.background.track(upgradeTiers(ctx, merchantId, [input.memberId]), 'tier upgrade');
  return result;
}
