import { packedMap } from '../../domain/arrays';
import { summarizeBalance, type BalanceSummary } from '../../domain/ledger/summarize-balance';
import type { MemberLedger } from '../../domain/ledger/ledger-book';
import type { LedgerTransaction, Reservation } from '../../domain/ledger/types';

/**
 * The last instants written as ISO 8601, with their text. Date#toISOString formats through V8's
 * printf, ~7,600 instructions a call (callgrind), and every answer of the ledger carries at least
 * one; but a batch's transactions share one timestamp and its lots a few expiry dates.
 */
const isoTexts = new Map<number, string>();
const maxIsoTexts = 256;

function isoTime(ms: number): string {
  let text = isoTexts.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (isoTexts.size >= maxIsoTexts) isoTexts.clear();
    isoTexts.set(ms, text);
  }
  return text;
}

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

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
    entries: packedMap(transaction.entries, (entry) => ({ account: entry.account, memberId: entry.memberId, lotId: entry.lotId, points: entry.points })),
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
    expiring: packedMap(summary.expiring, (group) => ({ expiresAt: isoTime(group.expiresAtMs), lastUsableDate: group.expiresOnDate, points: group.points })),
  };
}
export type BalanceView = ReturnType<typeof balanceView>;

export function memberBalanceView(member: MemberLedger, nowMs: number, timeZone: string): BalanceView {
  return balanceView(summarizeBalance(member.lots, member.heldReservations, nowMs, timeZone));
}
