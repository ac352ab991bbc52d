import type { ServiceContext } from '../context';
import type { LedgerCommandResult } from './ledger-pipeline';

/** Spends the points of a hold. Fails with `reservation_expired` once the hold has timed out. */
export function commitReservation(ctx: ServiceContext, merchantId: string, reservationId: string, idempotencyKey?: string | null): Promise<LedgerCommandResult> {
  return ctx.ledger.submit({
    merchantId, idempotencyKey, operation: 'points.reservation.commit', requestBody: { reservationId }, successStatus: 200,
    command: { type: 'commit_reservation', reservationId },
  });
}
