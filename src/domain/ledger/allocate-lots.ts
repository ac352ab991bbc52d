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

/** Earliest expiry first; lots that never expire last; ties by age, then id, so the order is total. */
export function compareLotsForSpending(a: Lot, b: Lot): number {
  const aExpiry = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry - bExpiry;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Which lots a spend of `points` consumes, earliest expiry first, and how much of each.
 * Returns null when the member cannot spend that much now (expired and pending lots never count,
 * even before the expiry job has swept them).
 */
export function allocateLots(lots: readonly Lot[], points: number, nowMs: number): { lot: Lot; points: number }[] | null {
  if (spendablePoints(lots, nowMs) < points) return null;
  const allocations: { lot: Lot; points: number }[] = [];
  let pointsLeft = points;
  for (const lot of lots.filter((candidate) => isLotSpendable(candidate, nowMs)).sort(compareLotsForSpending)) {
    if (pointsLeft === 0) break;
    const taken = Math.min(lot.pointsRemaining, pointsLeft);
    allocations.push({ lot, points: taken });
    pointsLeft -= taken;
  }
  return pointsLeft === 0 ? allocations : null;
}
