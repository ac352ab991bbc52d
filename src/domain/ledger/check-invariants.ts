// The ledger's invariants, checked over plain rows. `sentang ledger check` and the tests use this.
import { isOpenLot } from './types';

export interface InvariantInput {
  /** Sum of entries per transaction id; every value must be 0. */
  transactionSums: { transactionId: string; points: number }[];
  /** Sum of all entries of the merchant. */
  totalPoints: number;
  /**
   * Per lot: its remaining points, the sum of the wallet entries naming it, and whether it is
   * marked open (only open lots are read when a member's points are spent).
   */
  lots: { lotId: string; memberId: string; pointsRemaining: number; walletEntryPoints: number; pointsOriginal: number; isOpen: boolean }[];
  /** Per member: points in member_held entries and points of held reservations. */
  holds: { memberId: string; heldEntryPoints: number; reservedPoints: number }[];
  /** Reservations and the sum of their reservation_lots rows. */
  reservations: { reservationId: string; points: number; lotPoints: number }[];
}

export interface InvariantViolation {
  invariant: string;
  subject: string;
  detail: string;
}

export function checkLedgerInvariants(input: InvariantInput): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  if (input.totalPoints !== 0) {
    violations.push({ invariant: 'entries_sum_to_zero', subject: 'merchant', detail: `all entries sum to ${input.totalPoints}` });
  }
  for (const row of input.transactionSums) {
    if (row.points !== 0) violations.push({ invariant: 'transaction_balanced', subject: row.transactionId, detail: `entries sum to ${row.points}` });
  }
  for (const lot of input.lots) {
    if (lot.pointsRemaining !== lot.walletEntryPoints) {
      violations.push({ invariant: 'lot_matches_entries', subject: lot.lotId, detail: `lot holds ${lot.pointsRemaining}, its wallet entries sum to ${lot.walletEntryPoints}` });
    }
    if (lot.pointsRemaining > lot.pointsOriginal && lot.pointsOriginal > 0) {
      violations.push({ invariant: 'lot_within_original', subject: lot.lotId, detail: `lot holds ${lot.pointsRemaining} of ${lot.pointsOriginal} earned` });
    }
    if (lot.isOpen !== isOpenLot(lot.pointsRemaining)) {
      const detail = lot.isOpen ? 'lot is marked open but holds nothing' : `lot holds ${lot.pointsRemaining} but is marked closed, so they cannot be spent`;
      violations.push({ invariant: 'lot_open_mark', subject: lot.lotId, detail });
    }
    if (lot.pointsRemaining < 0 && lot.pointsOriginal !== 0) {
      violations.push({ invariant: 'only_debt_lots_negative', subject: lot.lotId, detail: `earned lot holds ${lot.pointsRemaining}` });
    }
  }
  for (const hold of input.holds) {
    if (hold.heldEntryPoints !== hold.reservedPoints) {
      violations.push({ invariant: 'holds_match_reservations', subject: hold.memberId, detail: `held entries sum to ${hold.heldEntryPoints}, open reservations hold ${hold.reservedPoints}` });
    }
  }
  for (const reservation of input.reservations) {
    if (reservation.points !== reservation.lotPoints) {
      violations.push({ invariant: 'reservation_lots_complete', subject: reservation.reservationId, detail: `reservation of ${reservation.points} took ${reservation.lotPoints} from lots` });
    }
  }
  return violations;
}
