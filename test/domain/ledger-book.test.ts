import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { LedgerBook, newMemberLedger, type LedgerClock, type MemberLedger } from '../../src/domain/ledger/ledger-book';
import { summarizeBalance } from '../../src/domain/ledger/summarize-balance';
import type { LedgerSettings } from '../../src/domain/ledger/types';

const settings: LedgerSettings = {
  timeZone: 'Asia/Bangkok', expiryPolicy: { kind: 'never' }, reversalPolicy: 'refuse',
  transferMinPoints: 1, transferMaxPoints: null, transferMaxPointsPerMonth: null, reservationTimeoutSeconds: 900,
};

function setup(overrides: Partial<LedgerSettings> = {}) {
  const book = new LedgerBook({ ...settings, ...overrides });
  let counter = 0;
  const clock: LedgerClock = { nowMs: Date.parse('2026-05-01T00:00:00Z'), newId: (prefix) => `${prefix}_${String(++counter).padStart(6, '0')}` };
  for (const memberId of ['a', 'b']) {
    book.addMember(newMemberLedger(memberId, 0));
  }
  const member = (id: string) => book.members.get(id) as MemberLedger;
  const available = (id: string) => summarizeBalance(member(id), clock.nowMs, 'Asia/Bangkok').availablePoints;
  return { book, clock, member, available };
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('LedgerBook', () => {
  it('balances every transaction it writes', () => {
    const { book, clock } = setup();
    book.apply({ type: 'earn', memberId: 'a', points: 100, reason: 'x' }, clock);
    book.apply({ type: 'spend', memberId: 'a', points: 30, reason: 'x' }, clock);
    book.apply({ type: 'transfer', fromMemberId: 'a', toMemberId: 'b', points: 20 }, clock);
    for (const transaction of book.newTransactions) {
      expect(transaction.entries.reduce((sum, entry) => sum + entry.points, 0)).toBe(0);
    }
  });

  it('records what each changed lot held before the batch, so the store knows which ones opened or closed', () => {
    const { book, clock, member } = setup();
    const earlier: MemberLedger['lots'][number] = {
      id: 'lot_earlier', memberId: 'a', sourceTransactionId: 'txn_earlier', pointsOriginal: 50, pointsRemaining: 50,
      availableAtMs: 0, expiresAtMs: null, createdAtMs: 0,
    };
    member('a').lots.push(earlier);
    book.apply({ type: 'spend', memberId: 'a', points: 20, reason: 'partial' }, clock);
    book.apply({ type: 'spend', memberId: 'a', points: 30, reason: 'the rest' }, clock);
    book.apply({ type: 'earn', memberId: 'b', points: 10, reason: 'new' }, clock);
    const created = member('b').lots[0]?.id ?? '';
    // The value before the first change of the batch, however many changes followed.
    expect(book.lotsRemainingBefore.get('lot_earlier')).toBe(50);
    expect(earlier.pointsRemaining).toBe(0);
    expect(book.lotsRemainingBefore.get(created)).toBe(0);
    expect([...book.changedLots.keys()].sort()).toEqual([...book.lotsRemainingBefore.keys()].sort());
  });

  it('spends earliest expiry first and never-expiring lots last', () => {
    const { book, clock, member } = setup();
    book.apply({ type: 'earn', memberId: 'a', points: 10, reason: 'never', expiresAtMs: null }, clock);
    book.apply({ type: 'earn', memberId: 'a', points: 10, reason: 'late', expiresAtMs: clock.nowMs + 2000_000 }, clock);
    book.apply({ type: 'earn', memberId: 'a', points: 10, reason: 'soon', expiresAtMs: clock.nowMs + 1000_000 }, clock);
    book.apply({ type: 'spend', memberId: 'a', points: 15, reason: 'x' }, clock);
    // The member's lots are kept in spending order, whatever order they were earned in.
    const remaining = member('a').lots.map((lot) => [lot.expiresAtMs === null ? 'never' : lot.expiresAtMs - clock.nowMs, lot.pointsRemaining]);
    expect(remaining).toEqual([[1000_000, 0], [2000_000, 5], ['never', 10]]);
  });

  it('changes nothing when a command is refused', () => {
    const { book, clock, member } = setup();
    book.apply({ type: 'earn', memberId: 'a', points: 10, reason: 'x' }, clock);
    const before = JSON.stringify(member('a'));
    const transactions = book.newTransactions.length;
    expect(codeOf(() => book.apply({ type: 'spend', memberId: 'a', points: 11, reason: 'x' }, clock))).toBe('insufficient_points');
    expect(codeOf(() => book.apply({ type: 'transfer', fromMemberId: 'a', toMemberId: 'zzz', points: 1 }, clock))).toBe('member_not_found');
    expect(JSON.stringify(member('a'))).toBe(before);
    expect(book.newTransactions).toHaveLength(transactions);
  });

  it('never spends an expired lot, even before it is swept', () => {
    const { book, clock, available } = setup();
    book.apply({ type: 'earn', memberId: 'a', points: 10, reason: 'x', expiresAtMs: clock.nowMs + 1000 }, clock);
    clock.nowMs += 1000;
    expect(available('a')).toBe(0);
    expect(codeOf(() => book.apply({ type: 'spend', memberId: 'a', points: 1, reason: 'x' }, clock))).toBe('insufficient_points');
    const swept = book.apply({ type: 'expire', memberId: 'a' }, clock);
    expect(swept.transaction?.points).toBe(10);
    expect(book.apply({ type: 'expire', memberId: 'a' }, clock).transaction).toBeNull();
  });

  it('enforces the monthly transfer limit across commands of one batch', () => {
    const { book, clock } = setup({ transferMaxPointsPerMonth: 50 });
    book.members.get('a')!.monthStartMs = Date.parse('2026-04-30T17:00:00Z');
    book.apply({ type: 'earn', memberId: 'a', points: 100, reason: 'x' }, clock);
    book.apply({ type: 'transfer', fromMemberId: 'a', toMemberId: 'b', points: 30 }, clock);
    expect(codeOf(() => book.apply({ type: 'transfer', fromMemberId: 'a', toMemberId: 'b', points: 21 }, clock))).toBe('transfer_limit_exceeded');
    book.apply({ type: 'transfer', fromMemberId: 'a', toMemberId: 'b', points: 20 }, clock);
  });

  it('returns a voided hold to the lots it came from', () => {
    const { book, clock, member, available } = setup();
    book.apply({ type: 'earn', memberId: 'a', points: 40, reason: 'x', expiresAtMs: clock.nowMs + 10_000 }, clock);
    book.apply({ type: 'earn', memberId: 'a', points: 40, reason: 'x', expiresAtMs: null }, clock);
    const hold = book.apply({ type: 'reserve', memberId: 'a', points: 50 }, clock);
    expect(available('a')).toBe(30);
    book.apply({ type: 'void_reservation', reservationId: hold.reservation!.id }, clock);
    expect(member('a').lots.map((lot) => lot.pointsRemaining)).toEqual([40, 40]);
  });

  it('repays a claw-back debt from the next available earn, not from pending points', () => {
    const { book, clock, available } = setup({ reversalPolicy: 'allow_negative' });
    const earn = book.apply({ type: 'earn', memberId: 'a', points: 50, reason: 'x' }, clock);
    book.apply({ type: 'spend', memberId: 'a', points: 50, reason: 'x' }, clock);
    book.apply({ type: 'reverse', transactionId: earn.transaction!.id }, clock);
    expect(available('a')).toBe(-50);
    book.apply({ type: 'earn', memberId: 'a', points: 20, reason: 'pending', availableAtMs: clock.nowMs + 1000 }, clock);
    expect(available('a')).toBe(-50);
    book.apply({ type: 'earn', memberId: 'a', points: 70, reason: 'x' }, clock);
    expect(available('a')).toBe(20);
  });
});
