import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/** A staff correction: positive credits a new lot, negative takes points like a spend. A reason is required. */
export function adjustPoints(ctx: ServiceContext, merchantId: string, input: { memberId: string; points: number; reason: string }, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.adjust', requestBody: input, successStatus: 201,
    command: { type: 'adjust', ...input },
  });
}
