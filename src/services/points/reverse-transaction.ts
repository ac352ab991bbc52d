import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/**
 * Undoes an earn, wholly or in part (a refund claw-back). The unspent part is removed; the spent part
 * is refused or booked as a negative balance, by the merchant's reversal policy.
 */
export function reverseTransaction(ctx: ServiceContext, merchantId: string, input: { transactionId: string; points?: number | undefined; reason?: string | undefined }, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.reverse', requestBody: input, successStatus: 201,
    command: { type: 'reverse', ...input },
  });
}
