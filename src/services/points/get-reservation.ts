import { DomainError } from '../../domain/errors';
import { loadReservations } from '../../store/ledger-store';
import type { ServiceContext } from '../context';
import { reservationView, type ReservationView } from './points-views';

/** A reservation; a hold past its timeout reads as expired even before the sweeper has released it. */
export async function getReservation(ctx: ServiceContext, merchantId: string, reservationId: string): Promise<ReservationView> {
  const [reservation] = await loadReservations(ctx.store.db, merchantId, [reservationId]);
  if (!reservation) throw new DomainError('reservation_not_found', `No reservation ${reservationId}`);
  const view = reservationView(reservation);
  if (reservation.status === 'held' && reservation.expiresAtMs <= ctx.nowMs()) return { ...view, status: 'expired' };
  return view;
}
