// A spend reads a member's lots in the spending order the member's ledger keeps them in, and stops
// once it is covered; a balance is summed in one pass. Both are held here to plain definitions
// (filter, sort, sum), and the order to the one a list built lot by lot ends up in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addLotInSpendingOrder, allocateLots, compareLotsForSpending, isLotExpired, isLotSpendable } from '../../src/domain/ledger/allocate-lots';
import { localDate } from '../../src/domain/ledger/expiry-policy';
import { addStoredLot, newMemberLedger } from '../../src/domain/ledger/ledger-book';
import { summarizeBalance } from '../../src/domain/ledger/summarize-balance';
import type { Lot, Reservation } from '../../src/domain/ledger/types';

const nowMs = 1_800_000_000_000;
const dayMs = 86_400_000;

// Times around now, so that some lots are expired, pending or expiring within 30 days; few distinct
// values, so that ties (same expiry, same age) are common and the order's tie-breaks are exercised.
const timeArbitrary = fc.integer({ min: -3, max: 40 }).map((days) => nowMs + days * dayMs);
const lotArbitrary = (index: number) => fc.record({
  pointsRemaining: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -30, max: -1 })),
  availableAtMs: fc.oneof(fc.constant(nowMs - dayMs), timeArbitrary),
  expiresAtMs: fc.oneof(fc.constant(null), timeArbitrary),
  createdAtMs: fc.integer({ min: 0, max: 3 }).map((age) => nowMs - age * dayMs),
}).map((fields): Lot => ({ id: `lot_${String(index).padStart(3, '0')}`, memberId: 'mem_a', sourceTransactionId: `txn_${index}`, pointsOriginal: fields.pointsRemaining < 0 ? 0 : fields.pointsRemaining + 5, ...fields }));
const lotsArbitrary = fc.integer({ min: 0, max: 40 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => lotArbitrary(index))));
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

/** The definition: what can be spent now (debt counted against it), then spendable lots earliest expiry first. */
function allocateByDefinition(lots: readonly Lot[], points: number) {
  const available = lots.reduce((sum, lot) => sum + (lot.pointsRemaining < 0 || isLotSpendable(lot, nowMs) ? lot.pointsRemaining : 0), 0);
  if (available < points) return null;
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

describe('allocateLots', () => {
  it('takes the same lots and points as the definition from lots in spending order, debt and all', () => {
    fc.assert(fc.property(lotsArbitrary, fc.integer({ min: 1, max: 400 }), (lots, points) => {
      expect(allocateLots([...lots].sort(compareLotsForSpending), points, nowMs)).toEqual(allocateByDefinition(lots, points));
    }), { numRuns: 1000 });
  });
});

describe('addLotInSpendingOrder', () => {
  it('keeps a list in spending order whatever order lots are added in', () => {
    fc.assert(fc.property(lotsArbitrary, fc.nat(), (lots, seed) => {
      const kept: Lot[] = [];
      for (const lot of shuffled(lots, seed)) addLotInSpendingOrder(kept, lot);
      expect(kept.map((lot) => lot.id)).toEqual([...lots].sort(compareLotsForSpending).map((lot) => lot.id));
    }), { numRuns: 300 });
  });
});

describe('summarizeBalance', () => {
  it('sums the same balance as the definition from a member ledger built from the lots', () => {
    const reservation = (points: number, status: Reservation['status']): Reservation => ({
      id: `rsv_${points}_${status}`, memberId: 'mem_a', points, status, reason: null, expiresAtMs: nowMs + 1, createdAtMs: nowMs, resolvedAtMs: null, lots: [],
    });
    fc.assert(fc.property(lotsArbitrary, fc.nat(), fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('held', 'committed')), { maxLength: 3 }), (lots, seed, holds) => {
      const held = holds.map(([points, status]) => reservation(points, status as Reservation['status']));
      const live = lots.filter((lot) => lot.pointsRemaining > 0 && !isLotExpired(lot, nowMs));
      const expiringLots = live.filter((lot) => lot.expiresAtMs !== null && lot.expiresAtMs <= nowMs + 30 * dayMs);
      const expiryInstants = [...new Set(expiringLots.map((lot) => lot.expiresAtMs as number))].sort((a, b) => a - b);
      const sum = (some: readonly { points: number }[] | readonly Lot[]) => some.reduce((total, item) => total + ('pointsRemaining' in item ? item.pointsRemaining : item.points), 0);
      const member = newMemberLedger('mem_a', 0);
      for (const lot of shuffled(lots, seed)) addStoredLot(member, lot);
      member.lots.sort(compareLotsForSpending);
      member.heldReservations = held;
      expect(summarizeBalance(member, nowMs, 'Asia/Bangkok')).toEqual({
        availablePoints: sum(lots.filter((lot) => lot.pointsRemaining < 0 || isLotSpendable(lot, nowMs))),
        pendingPoints: sum(live.filter((lot) => lot.availableAtMs > nowMs)),
        reservedPoints: sum(held.filter((hold) => hold.status === 'held')),
        expiringPoints: sum(expiringLots),
        expiring: expiryInstants.map((expiresAtMs) => ({
          expiresAtMs, expiresOnDate: localDate(expiresAtMs - 1, 'Asia/Bangkok'), points: sum(expiringLots.filter((lot) => lot.expiresAtMs === expiresAtMs)),
        })),
      });
    }), { numRuns: 500 });
  });
});
