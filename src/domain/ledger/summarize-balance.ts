import { isDebtLot, isLotExpired } from './allocate-lots';
import type { MemberLedger } from './ledger-book';
import { localDate } from './expiry-policy';
import type { Lot } from './types';

/** What a balance is read from: a member's ledger, its lots in spending order. */
export type BalanceSource = Pick<MemberLedger, 'lots' | 'positivePoints' | 'latestAvailableAtMs' | 'heldReservations'>;

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
 *
 * Every command's answer carries the balance, and a member may hold hundreds of open lots, so this
 * does not read them all: the lots are in spending order (debt first, then earliest expiry), so
 * the debt and the lots expiring within the window are a prefix of the list, and the rest hold
 * `positivePoints` less that prefix's points, all available unless one is still pending (read
 * only while `latestAvailableAtMs` is ahead).
 */
export function summarizeBalance(member: BalanceSource, nowMs: number, timeZone: string, expiringWithinDays = 30): BalanceSummary {
  const { lots } = member;
  const horizonMs = nowMs + expiringWithinDays * dayMs;
  let index = 0;
  let debtPoints = 0;
  for (; index < lots.length && isDebtLot(lots[index] as Lot); index += 1) debtPoints += Math.min((lots[index] as Lot).pointsRemaining, 0);
  let prefixPoints = 0;
  let prefixAvailablePoints = 0;
  let pendingPoints = 0;
  let expiringPoints = 0;
  let byExpiry: Map<number, number> | undefined;
  for (; index < lots.length; index += 1) {
    const lot = lots[index] as Lot;
    if (lot.expiresAtMs === null || lot.expiresAtMs > horizonMs) break;
    if (lot.pointsRemaining <= 0) continue;
    prefixPoints += lot.pointsRemaining;
    if (isLotExpired(lot, nowMs)) continue;
    if (lot.availableAtMs > nowMs) pendingPoints += lot.pointsRemaining;
    else prefixAvailablePoints += lot.pointsRemaining;
    byExpiry ??= new Map();
    byExpiry.set(lot.expiresAtMs, (byExpiry.get(lot.expiresAtMs) ?? 0) + lot.pointsRemaining);
    expiringPoints += lot.pointsRemaining;
  }
  // The rest neither expire within the window nor have expired.
  let restAvailablePoints = member.positivePoints - prefixPoints;
  if (member.latestAvailableAtMs > nowMs) {
    for (; index < lots.length; index += 1) {
      const lot = lots[index] as Lot;
      if (lot.pointsRemaining > 0 && lot.availableAtMs > nowMs) {
        pendingPoints += lot.pointsRemaining;
        restAvailablePoints -= lot.pointsRemaining;
      }
    }
  }
  let reservedPoints = 0;
  for (const held of member.heldReservations) if (held.status === 'held') reservedPoints += held.points;
  const expiring = byExpiry === undefined ? [] : [...byExpiry.entries()]
    // The last instant the points can be used falls on the local date before the expiry instant
    // when the expiry is at local midnight (end of year): report the day they are last usable.
    .map(([expiresAtMs, points]) => ({ expiresAtMs, expiresOnDate: localDate(expiresAtMs - 1, timeZone), points }));
  return { availablePoints: debtPoints + prefixAvailablePoints + restAvailablePoints, pendingPoints, reservedPoints, expiringPoints, expiring };
}
