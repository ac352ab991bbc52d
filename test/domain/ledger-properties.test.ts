import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/errors';
import { compareLotsForSpending, spendablePoints } from '../../src/domain/ledger/allocate-lots';
import { LedgerBook, newMemberLedger, type LedgerClock } from '../../src/domain/ledger/ledger-book';
import { summarizeBalance } from '../../src/domain/ledger/summarize-balance';
import type { LedgerSettings, Lot, ReversalPolicy } from '../../src/domain/ledger/types';
import { memberCount, stepArbitrary, toCommand, type Step } from '../support/ledger-commands';

function assertInvariants(book: LedgerBook, nowMs: number, policy: ReversalPolicy): void {
  const lotEntries = new Map<string, number>();
  const heldByReservationLot = new Map<string, number>();
  for (const transaction of book.newTransactions) {
    expect(transaction.entries.reduce((sum, entry) => sum + entry.points, 0)).toBe(0);
    for (const entry of transaction.entries) {
      if (entry.account === 'member_wallet') lotEntries.set(entry.lotId ?? '', (lotEntries.get(entry.lotId ?? '') ?? 0) + entry.points);
      if (entry.account === 'member_held') heldByReservationLot.set(entry.memberId ?? '', (heldByReservationLot.get(entry.memberId ?? '') ?? 0) + entry.points);
    }
  }
  for (const member of book.members.values()) {
    // Kept in spending order, so that a spend reads them in place (MemberLedger.lots).
    member.lots.slice(1).forEach((lot, index) => expect(compareLotsForSpending(member.lots[index] as Lot, lot)).toBeLessThanOrEqual(0));
    for (const lot of member.lots) {
      expect(lot.pointsRemaining, `lot ${lot.id}`).toBe(lotEntries.get(lot.id) ?? 0);
      if (lot.pointsOriginal > 0) {
        expect(lot.pointsRemaining).toBeGreaterThanOrEqual(0);
        expect(lot.pointsRemaining).toBeLessThanOrEqual(lot.pointsOriginal);
      }
    }
    const held = member.heldReservations.reduce((sum, reservation) => sum + reservation.points, 0);
    expect(heldByReservationLot.get(member.memberId) ?? 0).toBe(held);
    // What the member's ledger keeps beside its lots, so that a balance need not read them all.
    expect(member.positivePoints).toBe(member.lots.reduce((sum, lot) => sum + Math.max(lot.pointsRemaining, 0), 0));
    for (const lot of member.lots) expect(lot.availableAtMs).toBeLessThanOrEqual(member.latestAvailableAtMs);
    const balance = summarizeBalance(member, nowMs, 'Asia/Bangkok');
    expect(balance.availablePoints).toBe(spendablePoints(member.lots, nowMs));
    if (policy === 'refuse') expect(balance.availablePoints).toBeGreaterThanOrEqual(0);
  }
}

describe('ledger invariants over random command sequences (pure)', () => {
  it('hold after every step, for both reversal policies', () => {
    fc.assert(fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 60 }), fc.constantFrom<ReversalPolicy>('refuse', 'allow_negative'), (steps: Step[], reversalPolicy) => {
      const settings: LedgerSettings = {
        timeZone: 'Asia/Bangkok', expiryPolicy: { kind: 'never' }, reversalPolicy, transferMinPoints: 1,
        transferMaxPoints: null, transferMaxPointsPerMonth: null, reservationTimeoutSeconds: 900,
      };
      const book = new LedgerBook(settings);
      let counter = 0;
      const clock: LedgerClock = { nowMs: Date.parse('2026-01-01T00:00:00Z'), newId: (prefix) => `${prefix}_${String(++counter).padStart(8, '0')}` };
      const members = Array.from({ length: memberCount }, (_, i) => `m${i}`);
      for (const memberId of members) book.addMember(newMemberLedger(memberId, 0));
      const earns: string[] = [];
      const reservations: string[] = [];
      for (const step of steps) {
        const command = toCommand(step, members, earns, reservations, clock.nowMs);
        if (step.op === 'advance') clock.nowMs += step.seconds * 1000;
        if (command) {
          try {
            const outcome = book.apply(command, clock);
            if (command.type === 'earn' && outcome.transaction) earns.push(outcome.transaction.id);
            if (command.type === 'reserve' && outcome.reservation) reservations.push(outcome.reservation.id);
          } catch (error) {
            if (!isDomainError(error)) throw error;
          }
        }
        assertInvariants(book, clock.nowMs, reversalPolicy);
      }
    }), { numRuns: 300 });
  });
});
