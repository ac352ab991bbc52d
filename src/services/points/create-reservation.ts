import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/**
 * Holds points for a checkout. Held points can be neither spent again nor expired; the hold is
 * released by void, or by itself after its timeout (the merchant's default unless given).
 */
export function createReservation(ctx: ServiceContext, merchantId: string, input: { memberId: string; points: number; reason?: string | undefined; timeoutSeconds?: number | undefined }, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.reserve', requestBody: input, successStatus: 201,
    command: { type: 'reserve', ...input },
  });
}
