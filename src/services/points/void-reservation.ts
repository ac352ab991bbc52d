import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/** Releases a hold: its points go back to the lots they came from. */
export function voidReservation(ctx: ServiceContext, merchantId: string, reservationId: string, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.reservation.void', requestBody: { reservationId }, successStatus: 200,
    command: { type: 'void_reservation', reservationId },
  });
}
