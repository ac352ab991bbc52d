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
  return balanceView(summarizeBalance(member, nowMs, timeZone));
}

// A ledger command's answer as JSON, written field by field: exactly the text JSON.stringify
// makes of the views (test/points-views.test.ts holds every writer to that, for any text in any
// field). JSON.stringify was 12% of the ledger writer thread's instructions under callgrind, most
// of it inspecting strings that need no escaping (ids, account names, times) character by character.

/** Characters JSON.stringify escapes: quote, backslash, controls, and surrogates (when unpaired). */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonString(value: string): string {
  return needsEscaping.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function jsonStringOrNull(value: string | null): string {
  return value === null ? 'null' : jsonString(value);
}

function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

function transactionViewJson(view: TransactionView): string {
  let entries = '';
  for (const entry of view.entries) {
    entries += `${entries === '' ? '' : ','}{"account":${jsonString(entry.account)},"memberId":${jsonStringOrNull(entry.memberId)},"lotId":${jsonStringOrNull(entry.lotId)},"points":${jsonNumber(entry.points)}}`;
  }
  return `{"id":${jsonString(view.id)},"kind":${jsonString(view.kind)},"memberId":${jsonString(view.memberId)},`
    + `"counterpartyMemberId":${jsonStringOrNull(view.counterpartyMemberId)},"points":${jsonNumber(view.points)},"reason":${jsonStringOrNull(view.reason)},`
    + `"reversesTransactionId":${jsonStringOrNull(view.reversesTransactionId)},"reservationId":${jsonStringOrNull(view.reservationId)},`
    + `"createdAt":${jsonString(view.createdAt)},"entries":[${entries}]}`;
}

function reservationViewJson(view: ReservationView): string {
  return `{"id":${jsonString(view.id)},"memberId":${jsonString(view.memberId)},"points":${jsonNumber(view.points)},"status":${jsonString(view.status)},`
    + `"reason":${jsonStringOrNull(view.reason)},"expiresAt":${jsonString(view.expiresAt)},"createdAt":${jsonString(view.createdAt)},"resolvedAt":${jsonStringOrNull(view.resolvedAt)}}`;
}

function balanceViewJson(view: BalanceView): string {
  let expiring = '';
  for (const group of view.expiring) {
    expiring += `${expiring === '' ? '' : ','}{"expiresAt":${jsonString(group.expiresAt)},"lastUsableDate":${jsonString(group.lastUsableDate)},"points":${jsonNumber(group.points)}}`;
  }
  return `{"availablePoints":${jsonNumber(view.availablePoints)},"pendingPoints":${jsonNumber(view.pendingPoints)},"reservedPoints":${jsonNumber(view.reservedPoints)},`
    + `"expiringWithin30DaysPoints":${jsonNumber(view.expiringWithin30DaysPoints)},"expiring":[${expiring}]}`;
}

/** The answer to a ledger command: its transaction, its reservation and the member's balance, each or null. */
export function commandBodyJson(body: { transaction: TransactionView | null; reservation: ReservationView | null; balance: BalanceView | null }): string {
  return `{"transaction":${body.transaction ? transactionViewJson(body.transaction) : 'null'},`
    + `"reservation":${body.reservation ? reservationViewJson(body.reservation) : 'null'},`
    + `"balance":${body.balance ? balanceViewJson(body.balance) : 'null'}}`;
}
