import { summarizeBalance, type BalanceSummary } from '../../domain/ledger/summarize-balance';
import type { MemberLedger } from '../../domain/ledger/ledger-book';
import type { LedgerTransaction, Reservation } from '../../domain/ledger/types';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function transactionView(transaction: LedgerTransaction) {
  return {
    id: transaction.id,
    kind: transaction.kind,
    memberId: transaction.memberId,
    counterpartyMemberId: transaction.counterpartyMemberId,
    points: transaction.points,
    reason: transaction.reason,
    reversesTransactionId: transaction.reversesTransactionId,
    reservationId: transaction.reservationId,
    createdAt: iso(transaction.createdAtMs) as string,
    entries: transaction.entries.map((entry) => ({ account: entry.account, memberId: entry.memberId, lotId: entry.lotId, points: entry.points })),
  };
}
export type TransactionView = ReturnType<typeof transactionView>;

/** How a transaction changed one member's wallet: what a history line shows. */
export function walletChangeFor(transaction: LedgerTransaction, memberId: string): number {
  return transaction.entries
    .filter((entry) => entry.account === 'member_wallet' && entry.memberId === memberId)
    .reduce((sum, entry) => sum + entry.points, 0);
}

export function reservationView(reservation: Reservation) {
  return {
    id: reservation.id,
    memberId: reservation.memberId,
    points: reservation.points,
    status: reservation.status,
    reason: reservation.reason,
    expiresAt: iso(reservation.expiresAtMs) as string,
    createdAt: iso(reservation.createdAtMs) as string,
    resolvedAt: iso(reservation.resolvedAtMs),
  };
}
export type ReservationView = ReturnType<typeof reservationView>;

export function balanceView(summary: BalanceSummary) {
  return {
    availablePoints: summary.availablePoints,
    pendingPoints: summary.pendingPoints,
    reservedPoints: summary.reservedPoints,
    expiringWithin30DaysPoints: summary.expiringPoints,
    expiring: summary.expiring.map((group) => ({ expiresAt: new Date(group.expiresAtMs).toISOString(), lastUsableDate: group.expiresOnDate, points: group.points })),
  };
}
export type BalanceView = ReturnType<typeof balanceView>;

export function memberBalanceView(member: MemberLedger, nowMs: number, timeZone: string): BalanceView {
  return balanceView(summarizeBalance(member.lots, member.heldReservations, nowMs, timeZone));
}
