// The ledger's vocabulary. Points are integers; times are UTC epoch milliseconds.

/** Accounts that entries post to. Member accounts carry a member id; merchant accounts do not. */
export type Account =
  | 'member_wallet' // points a member owns, lot by lot (available, pending or not yet swept after expiry)
  | 'member_held' // points held by an open reservation
  | 'merchant_issued' // the source of every point: goes negative by what the merchant has issued
  | 'merchant_redeemed' // points spent
  | 'merchant_expired' // points that lapsed
  | 'merchant_adjustments'; // staff corrections

export type TransactionKind =
  | 'earn'
  | 'spend'
  | 'transfer'
  | 'adjust'
  | 'reverse'
  | 'reserve'
  | 'reservation_commit'
  | 'reservation_void'
  | 'reservation_expire'
  | 'expire';

export interface Entry {
  account: Account;
  memberId: string | null;
  /** Wallet and hold entries name the lot they move points in or out of. */
  lotId: string | null;
  points: number;
}

/** An immutable, balanced set of entries: the entries of one transaction sum to zero. */
export interface LedgerTransaction {
  id: string;
  kind: TransactionKind;
  memberId: string;
  counterpartyMemberId: string | null;
  /** The command's points: positive, except an adjustment, which carries its sign. */
  points: number;
  reason: string | null;
  idempotencyKey: string | null;
  reversesTransactionId: string | null;
  reservationId: string | null;
  createdAtMs: number;
  entries: Entry[];
}

/**
 * A lot is points earned together that share an availability and an expiry date.
 * A debt lot (negative remaining, no expiry) records a claw-back booked as a negative balance.
 */
export interface Lot {
  id: string;
  memberId: string;
  sourceTransactionId: string;
  pointsOriginal: number;
  pointsRemaining: number;
  availableAtMs: number;
  expiresAtMs: number | null;
  createdAtMs: number;
}

/** What a ledger transaction's id begins with (the store finds a period's transactions by id: domain/ids.ts). */
export const transactionIdPrefix = 'txn';

/**
 * Whether a lot with these points remaining is open: it still holds points (a debt lot's negative
 * ones too), so it is read to spend, expire or claw back. The store marks it so (is_open).
 */
export function isOpenLot(pointsRemaining: number): boolean {
  return pointsRemaining !== 0;
}

export type ReservationStatus = 'held' | 'committed' | 'voided' | 'expired';

export interface Reservation {
  id: string;
  memberId: string;
  points: number;
  status: ReservationStatus;
  reason: string | null;
  expiresAtMs: number;
  createdAtMs: number;
  resolvedAtMs: number | null;
  /** Which lots the hold took points from, so a void returns them where they came from. */
  lots: { lotId: string; points: number }[];
}

export type ExpiryPolicy =
  | { kind: 'never' }
  | { kind: 'months_after_earn'; months: number }
  | { kind: 'end_of_year' }
  | { kind: 'end_of_next_year' };

export type ReversalPolicy = 'refuse' | 'allow_negative';

export interface LedgerSettings {
  timeZone: string;
  expiryPolicy: ExpiryPolicy;
  reversalPolicy: ReversalPolicy;
  transferMinPoints: number;
  transferMaxPoints: number | null;
  transferMaxPointsPerMonth: number | null;
  reservationTimeoutSeconds: number;
}

export type LedgerCommand =
  | { type: 'earn'; memberId: string; points: number; reason: string; availableAtMs?: number | undefined; expiresAtMs?: number | null | undefined }
  | { type: 'spend'; memberId: string; points: number; reason: string }
  | { type: 'transfer'; fromMemberId: string; toMemberId: string; points: number; note?: string | undefined }
  | { type: 'adjust'; memberId: string; points: number; reason: string }
  | { type: 'reverse'; transactionId: string; points?: number | undefined; reason?: string | undefined }
  | { type: 'reserve'; memberId: string; points: number; reason?: string | undefined; timeoutSeconds?: number | undefined }
  | { type: 'commit_reservation'; reservationId: string }
  | { type: 'void_reservation'; reservationId: string }
  | { type: 'expire'; memberId: string };

export interface LedgerOutcome {
  /** Null only for an `expire` that found nothing due. */
  transaction: LedgerTransaction | null;
  reservation: Reservation | null;
}
