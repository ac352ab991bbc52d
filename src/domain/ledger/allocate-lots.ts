import type { Lot } from './types';

export function isLotExpired(lot: Lot, nowMs: number): boolean {
  return lot.expiresAtMs !== null && lot.expiresAtMs <= nowMs;
}

/** A lot whose points can be spent now: positive, available and not expired. */
export function isLotSpendable(lot: Lot, nowMs: number): boolean {
  return lot.pointsRemaining > 0 && lot.availableAtMs <= nowMs && !isLotExpired(lot, nowMs);
}

/** Points a member can spend now: spendable lots less any debt from a claw-back. */
export function spendablePoints(lots: readonly Lot[], nowMs: number): number {
  let total = 0;
  for (const lot of lots) {
    if (lot.pointsRemaining < 0) total += lot.pointsRemaining;
    else if (isLotSpendable(lot, nowMs)) total += lot.pointsRemaining;
  }
  return total;
}

/** A claw-back's debt lot: it never held points of its own, only a negative balance (LedgerBook.reverse). */
export function isDebtLot(lot: Lot): boolean {
  return lot.pointsOriginal === 0;
}

/**
 * The order a member's ledger keeps its lots in: debt lots first (never spent from, and found
 * first when a credit repays them), then earliest expiry first, lots that never expire last; ties
 * by age, then id, so the order is total.
 */
export function compareLotsForSpending(a: Lot, b: Lot): number {
  const aDebt = isDebtLot(a);
  if (aDebt !== isDebtLot(b)) return aDebt ? -1 : 1;
  const aExpiry = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry - bExpiry;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Adds `lot` to `lots` in spending order, which a member's ledger keeps its lots in
 * (MemberLedger.lots). A new lot nearly always sorts last (it is the newest, and its expiry is no
 * earlier than the others' under any one policy), so this is a push; a transfer's lots, which keep
 * the sender's expiry dates, may move back a few places.
 */
export function addLotInSpendingOrder(lots: Lot[], lot: Lot): void {
  let index = lots.length;
  while (index > 0 && compareLotsForSpending(lots[index - 1] as Lot, lot) > 0) index -= 1;
  if (index === lots.length) lots.push(lot);
  else lots.splice(index, 0, lot);
}

/** The member's debt lot that still holds a debt, if any; `lots` in spending order, so only the first few are read. */
export function findDebtLot(lots: readonly Lot[]): Lot | undefined {
  for (const lot of lots) {
    if (!isDebtLot(lot)) return undefined;
    if (lot.pointsRemaining < 0) return lot;
  }
  return undefined;
}

/**
 * Which lots a spend of `points` consumes, earliest expiry first, and how much of each.
 * Returns null when the member cannot spend that much now (expired and pending lots never count,
 * even before the expiry job has swept them).
 *
 * `lots` must be in spending order (compareLotsForSpending), as a member's ledger keeps them: the
 * walk stops as soon as the spend is covered, any debt counted first. Reading every lot at every
 * spend cost the writer thread tens of µs a command once members held a few hundred open lots
 * (each lot a cache miss).
 */
export function allocateLots(lots: readonly Lot[], points: number, nowMs: number): { lot: Lot; points: number }[] | null {
  let availablePoints = 0;
  let end = 0;
  while (end < lots.length && availablePoints < points) {
    const lot = lots[end] as Lot;
    if (lot.pointsRemaining < 0 || isLotSpendable(lot, nowMs)) availablePoints += lot.pointsRemaining;
    end += 1;
  }
  if (availablePoints < points) return null;
  const allocations: { lot: Lot; points: number }[] = [];
  let pointsLeft = points;
  for (let index = 0; index < end && pointsLeft > 0; index += 1) {
    const lot = lots[index] as Lot;
    if (!isLotSpendable(lot, nowMs)) continue;
    const taken = Math.min(lot.pointsRemaining, pointsLeft);
    allocations.push({ lot, points: taken });
    pointsLeft -= taken;
  }
  return allocations;
}
