import { isLotExpired, spendablePoints } from './allocate-lots';
import { localDate } from './expiry-policy';
import type { Lot, Reservation } from './types';

export interface BalanceSummary {
  /** Spendable now; negative when a claw-back left the member owing points. */
  availablePoints: number;
  /** Earned but not yet available (pending days). */
  pendingPoints: number;
  /** Held by open reservations. */
  reservedPoints: number;
  /** Available or pending points that expire within the window, by expiry instant. */
  expiringPoints: number;
  expiring: { expiresAtMs: number; expiresOnDate: string; points: number }[];
}

const dayMs = 86_400_000;

/**
 * A member's balance at `nowMs`, from their open lots and held reservations. Lots past their expiry
 * count for nothing even before the expiry job has swept them; holds past their timeout are
 * already released by LedgerBook.settleExpiredReservations before this is called.
 */
export function summarizeBalance(lots: readonly Lot[], heldReservations: readonly Reservation[], nowMs: number, timeZone: string, expiringWithinDays = 30): BalanceSummary {
  const pendingPoints = lots
    .filter((lot) => lot.pointsRemaining > 0 && lot.availableAtMs > nowMs && !isLotExpired(lot, nowMs))
    .reduce((sum, lot) => sum + lot.pointsRemaining, 0);
  const reservedPoints = heldReservations.filter((held) => held.status === 'held').reduce((sum, held) => sum + held.points, 0);
  const horizonMs = nowMs + expiringWithinDays * dayMs;
  const byExpiry = new Map<number, number>();
  for (const lot of lots) {
    if (lot.pointsRemaining <= 0 || lot.expiresAtMs === null || isLotExpired(lot, nowMs) || lot.expiresAtMs > horizonMs) continue;
    byExpiry.set(lot.expiresAtMs, (byExpiry.get(lot.expiresAtMs) ?? 0) + lot.pointsRemaining);
  }
  const expiring = [...byExpiry.entries()]
    .sort(([a], [b]) => a - b)
    // The last instant the points can be used falls on the local date before the expiry instant
    // when the expiry is at local midnight (end of year): report the day they are last usable.
    .map(([expiresAtMs, points]) => ({ expiresAtMs, expiresOnDate: localDate(expiresAtMs - 1, timeZone), points }));
  return {
    availablePoints: spendablePoints(lots, nowMs),
    pendingPoints,
    reservedPoints,
    expiringPoints: expiring.reduce((sum, group) => sum + group.points, 0),
    expiring,
  };
}
