import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/**
 * Moves points between two members atomically; the receiver's lots keep the sender's expiry dates.
 * The merchant's minimum, per-transfer maximum and monthly maximum apply.
 */
export function transferPoints(ctx: ServiceContext, merchantId: string, input: { fromMemberId: string; toMemberId: string; points: number; note?: string | undefined }, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.transfer', requestBody: input, successStatus: 201,
    command: { type: 'transfer', ...input },
  });
}
