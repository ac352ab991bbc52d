// The ledger's rules, applied in memory to the state of the members a batch of commands touches.
// Pure: no I/O; time and ids come in through LedgerClock. The store loads a LedgerBook under row
// locks, the commands run here one after another, and the store writes back what changed.
import { DomainError } from '../errors';
import { addLotInSpendingOrder, allocateLots, findDebtLot, isLotExpired, spendablePoints } from './allocate-lots';
import { computeExpiresAtMs, startOfMonthMs } from './expiry-policy';
import { isOpenLot, transactionIdPrefix, type Entry, type LedgerCommand, type LedgerOutcome, type LedgerSettings, type LedgerTransaction, type Lot, type Reservation, type TransactionKind } from './types';

export interface LedgerClock {
  nowMs: number;
  newId(prefix: string): string;
}

export interface MemberLedger {
  memberId: string;
  /**
   * Every lot of the member that still holds points (positive or debt), plus lots touched in this
   * batch, in spending order (compareLotsForSpending): a spend then reads them in place, not sorted
   * anew. Add lots with addLotInSpendingOrder. Answers do not depend on the order, only speed does.
   */
  lots: Lot[];
  /**
   * The points of the lots that hold any (pointsRemaining > 0), kept with every change of a lot
   * (CommandContext.changeLot): a balance starts from it instead of reading every lot.
   */
  positivePoints: number;
  /** No lot of the member becomes available later than this (0 with no lots): once it is past, none is pending. */
  latestAvailableAtMs: number;
  /** Reservations of this member whose status is `held`. */
  heldReservations: Reservation[];
  /** Points this member has sent by transfer since `monthStartMs`. */
  transferredPointsThisMonth: number;
  monthStartMs: number;
}

/** A member's ledger with no lots yet; add what the store holds with addStoredLot. */
export function newMemberLedger(memberId: string, monthStartMs: number): MemberLedger {
  return { memberId, lots: [], positivePoints: 0, latestAvailableAtMs: 0, heldReservations: [], transferredPointsThisMonth: 0, monthStartMs };
}

/** Adds a lot read from the store; once all are added, sort the list with compareLotsForSpending. */
export function addStoredLot(member: MemberLedger, lot: Lot): void {
  member.lots.push(lot);
  member.positivePoints += Math.max(lot.pointsRemaining, 0);
  member.latestAvailableAtMs = Math.max(member.latestAvailableAtMs, lot.availableAtMs);
}

/** An earn that a command may reverse, with how much of it is already reversed. */
export interface ReversibleEarn {
  transactionId: string;
  kind: TransactionKind;
  memberId: string;
  points: number;
  lotId: string | null;
  reversedPoints: number;
}

export class LedgerBook {
  readonly members = new Map<string, MemberLedger>();
  readonly reservations = new Map<string, Reservation>();
  readonly earns = new Map<string, ReversibleEarn>();

  // What the batch wrote; the store persists exactly these.
  readonly newTransactions: LedgerTransaction[] = [];
  readonly changedLots = new Map<string, Lot>();
  /**
   * What each changed lot held before this batch (0 for a new one): the store rewrites a lot's
   * open/closed mark, and so the index of open lots, only when that crosses zero either way.
   */
  readonly lotsRemainingBefore = new Map<string, number>();
  readonly newLotIds = new Set<string>();
  /**
   * Lots this batch emptied, or whose hold it ended: the ones a member's kept state may now drop
   * (MemberLedgerCache.remember), if they are still empty and no longer held.
   */
  readonly closedLots = new Set<Lot>();
  readonly changedReservations = new Map<string, Reservation>();
  readonly newReservationIds = new Set<string>();

  constructor(readonly settings: LedgerSettings) {}

  addMember(member: MemberLedger): void {
    this.members.set(member.memberId, member);
    for (const reservation of member.heldReservations) this.reservations.set(reservation.id, reservation);
  }

  /**
   * Applies one command. Either it succeeds and every change is recorded, or it throws a
   * DomainError having changed nothing: every check runs before the first mutation.
   */
  apply(command: LedgerCommand, clock: LedgerClock, idempotencyKey: string | null = null): LedgerOutcome {
    const context = new CommandContext(this, clock, idempotencyKey);
    switch (command.type) {
      case 'earn': {
        const member = context.member(command.memberId);
        const availableAtMs = Math.max(command.availableAtMs ?? clock.nowMs, clock.nowMs);
        const expiresAtMs = command.expiresAtMs !== undefined
          ? command.expiresAtMs
          : computeExpiresAtMs(this.settings.expiryPolicy, availableAtMs, this.settings.timeZone);
        if (expiresAtMs !== null && expiresAtMs <= availableAtMs) {
          throw new DomainError('invalid_request', 'expiresAt must be later than the time the points become available', { expiresAtMs, availableAtMs });
        }
        const transaction = context.transaction('earn', member.memberId, command.points, command.reason);
        context.credit(transaction, member, command.points, availableAtMs, expiresAtMs);
        context.post(transaction, 'merchant_issued', null, null, -command.points);
        return context.finish(transaction);
      }
      case 'spend': {
        const member = context.member(command.memberId);
        const allocations = context.allocate(member, command.points);
        const transaction = context.transaction('spend', member.memberId, command.points, command.reason);
        context.debit(transaction, member, allocations, 'merchant_redeemed', null);
        return context.finish(transaction);
      }
      case 'transfer': {
        // Members first: an id of another merchant is a 404 whatever else is wrong with the request.
        const sender = context.member(command.fromMemberId);
        const receiver = context.member(command.toMemberId);
        if (sender === receiver) throw new DomainError('invalid_transfer', 'A member cannot transfer points to themselves');
        this.checkTransferLimits(sender, command.points, clock.nowMs);
        const allocations = context.allocate(sender, command.points);
        const transaction = context.transaction('transfer', sender.memberId, command.points, command.note ?? null);
        transaction.counterpartyMemberId = receiver.memberId;
        // The receiver's lots keep the sender's expiry dates, so a transfer never extends points' life.
        for (const allocation of allocations) {
          context.post(transaction, 'member_wallet', sender.memberId, allocation.lot.id, -allocation.points);
          context.changeLot(allocation.lot, -allocation.points);
          context.credit(transaction, receiver, allocation.points, clock.nowMs, allocation.lot.expiresAtMs);
        }
        sender.transferredPointsThisMonth += command.points;
        return context.finish(transaction);
      }
      case 'adjust': {
        const member = context.member(command.memberId);
        if (command.points > 0) {
          const expiresAtMs = computeExpiresAtMs(this.settings.expiryPolicy, clock.nowMs, this.settings.timeZone);
          const transaction = context.transaction('adjust', member.memberId, command.points, command.reason);
          context.credit(transaction, member, command.points, clock.nowMs, expiresAtMs);
          context.post(transaction, 'merchant_adjustments', null, null, -command.points);
          return context.finish(transaction);
        }
        const allocations = context.allocate(member, -command.points);
        const transaction = context.transaction('adjust', member.memberId, command.points, command.reason);
        context.debit(transaction, member, allocations, 'merchant_adjustments', null);
        return context.finish(transaction);
      }
      case 'reverse':
        return this.reverse(context, command.transactionId, command.points, command.reason ?? null);
      case 'reserve': {
        const member = context.member(command.memberId);
        const allocations = context.allocate(member, command.points);
        const timeoutSeconds = command.timeoutSeconds ?? this.settings.reservationTimeoutSeconds;
        const reservation: Reservation = {
          id: clock.newId('rsv'),
          memberId: member.memberId,
          points: command.points,
          status: 'held',
          reason: command.reason ?? null,
          expiresAtMs: clock.nowMs + timeoutSeconds * 1000,
          createdAtMs: clock.nowMs,
          resolvedAtMs: null,
          lots: allocations.map((allocation) => ({ lotId: allocation.lot.id, points: allocation.points })),
        };
        const transaction = context.transaction('reserve', member.memberId, command.points, command.reason ?? null);
        transaction.reservationId = reservation.id;
        for (const allocation of allocations) {
          context.post(transaction, 'member_wallet', member.memberId, allocation.lot.id, -allocation.points);
          context.post(transaction, 'member_held', member.memberId, allocation.lot.id, allocation.points);
          context.changeLot(allocation.lot, -allocation.points);
        }
        member.heldReservations.push(reservation);
        this.reservations.set(reservation.id, reservation);
        this.newReservationIds.add(reservation.id);
        this.changedReservations.set(reservation.id, reservation);
        return context.finish(transaction, reservation);
      }
      case 'commit_reservation': {
        const reservation = context.heldReservation(command.reservationId);
        const transaction = context.transaction('reservation_commit', reservation.memberId, reservation.points, reservation.reason);
        transaction.reservationId = reservation.id;
        for (const portion of reservation.lots) {
          context.post(transaction, 'member_held', reservation.memberId, portion.lotId, -portion.points);
        }
        context.post(transaction, 'merchant_redeemed', null, null, reservation.points);
        this.resolveReservation(reservation, 'committed', clock.nowMs);
        return context.finish(transaction, reservation);
      }
      case 'void_reservation': {
        const reservation = context.heldReservation(command.reservationId);
        const transaction = this.releaseReservation(context, reservation, 'reservation_void', 'voided');
        return context.finish(transaction, reservation);
      }
      case 'expire': {
        const member = context.member(command.memberId);
        const dueLots = member.lots.filter((lot) => lot.pointsRemaining > 0 && isLotExpired(lot, clock.nowMs));
        if (dueLots.length === 0) return { transaction: null, reservation: null };
        const total = dueLots.reduce((sum, lot) => sum + lot.pointsRemaining, 0);
        const transaction = context.transaction('expire', member.memberId, total, 'points expired');
        for (const lot of dueLots) {
          context.post(transaction, 'member_wallet', member.memberId, lot.id, -lot.pointsRemaining);
          context.changeLot(lot, -lot.pointsRemaining);
        }
        context.post(transaction, 'merchant_expired', null, null, total);
        return context.finish(transaction);
      }
    }
  }

  /**
   * Returns the points of holds past their timeout to the lots they came from. Runs before any
   * command touches the member, so a timed-out hold is released even before the sweeper runs.
   */
  settleExpiredReservations(member: MemberLedger, clock: LedgerClock): void {
    for (const reservation of [...member.heldReservations]) {
      if (reservation.expiresAtMs > clock.nowMs) continue;
      const context = new CommandContext(this, clock, null);
      const transaction = this.releaseReservation(context, reservation, 'reservation_expire', 'expired');
      context.finish(transaction, reservation);
    }
  }

  private releaseReservation(context: CommandContext, reservation: Reservation, kind: TransactionKind, status: 'voided' | 'expired'): LedgerTransaction {
    // Not context.member(): that settles timed-out holds, which is what called this.
    const member = this.members.get(reservation.memberId);
    if (!member) throw new Error(`member ${reservation.memberId} of reservation ${reservation.id} was not loaded`);
    const transaction = context.transaction(kind, reservation.memberId, reservation.points, reservation.reason);
    transaction.reservationId = reservation.id;
    for (const portion of reservation.lots) {
      const lot = member.lots.find((candidate) => candidate.id === portion.lotId);
      if (!lot) throw new Error(`lot ${portion.lotId} of reservation ${reservation.id} was not loaded`);
      context.post(transaction, 'member_held', member.memberId, lot.id, -portion.points);
      context.post(transaction, 'member_wallet', member.memberId, lot.id, portion.points);
      context.changeLot(lot, portion.points);
    }
    this.resolveReservation(reservation, status, context.clock.nowMs);
    return transaction;
  }

  private resolveReservation(reservation: Reservation, status: 'committed' | 'voided' | 'expired', nowMs: number): void {
    reservation.status = status;
    reservation.resolvedAtMs = nowMs;
    const member = this.members.get(reservation.memberId);
    if (member) {
      member.heldReservations = member.heldReservations.filter((held) => held.id !== reservation.id);
      for (const portion of reservation.lots) {
        const lot = member.lots.find((candidate) => candidate.id === portion.lotId);
        if (lot && !isOpenLot(lot.pointsRemaining)) this.closedLots.add(lot);
      }
    }
    this.changedReservations.set(reservation.id, reservation);
  }

  private checkTransferLimits(sender: MemberLedger, points: number, nowMs: number): void {
    const { transferMinPoints, transferMaxPoints, transferMaxPointsPerMonth, timeZone } = this.settings;
    if (points < transferMinPoints) {
      throw new DomainError('transfer_limit_exceeded', `A transfer must be at least ${transferMinPoints} points`, { limit: 'min_points', minPoints: transferMinPoints });
    }
    if (transferMaxPoints !== null && points > transferMaxPoints) {
      throw new DomainError('transfer_limit_exceeded', `A transfer may be at most ${transferMaxPoints} points`, { limit: 'max_points', maxPoints: transferMaxPoints });
    }
    if (transferMaxPointsPerMonth !== null) {
      const monthStartMs = startOfMonthMs(nowMs, timeZone);
      const sentThisMonth = sender.monthStartMs === monthStartMs ? sender.transferredPointsThisMonth : 0;
      if (sentThisMonth + points > transferMaxPointsPerMonth) {
        throw new DomainError('transfer_limit_exceeded', `This member may send at most ${transferMaxPointsPerMonth} points a month; ${sentThisMonth} already sent`, {
          limit: 'max_points_per_month', maxPointsPerMonth: transferMaxPointsPerMonth, sentThisMonthPoints: sentThisMonth,
        });
      }
    }
  }

  private reverse(context: CommandContext, transactionId: string, requestedPoints: number | undefined, reason: string | null): LedgerOutcome {
    const earn = this.earns.get(transactionId);
    if (!earn) throw new DomainError('transaction_not_found', `No transaction ${transactionId}`);
    if (earn.kind !== 'earn') {
      throw new DomainError('not_reversible', `Only an earn can be reversed; ${transactionId} is a ${earn.kind}`);
    }
    const reversiblePoints = earn.points - earn.reversedPoints;
    if (reversiblePoints === 0) throw new DomainError('already_reversed', `Transaction ${transactionId} is already fully reversed`);
    const points = requestedPoints ?? reversiblePoints;
    if (points > reversiblePoints) {
      throw new DomainError('reversal_exceeds_earned', `Only ${reversiblePoints} points of ${transactionId} are left to reverse`, { reversiblePoints });
    }
    const member = context.member(earn.memberId);
    const lot = earn.lotId ? member.lots.find((candidate) => candidate.id === earn.lotId) : undefined;
    // What is still unspent in the earn's own lot is removed; the rest was spent, held or transferred.
    const unspentPoints = Math.min(points, Math.max(lot?.pointsRemaining ?? 0, 0));
    const shortfallPoints = points - unspentPoints;
    if (shortfallPoints > 0 && this.settings.reversalPolicy === 'refuse') {
      throw new DomainError('points_already_spent', `${shortfallPoints} of the ${points} points were already spent; this merchant refuses claw-backs below zero`, {
        unspentPoints, shortfallPoints,
      });
    }
    const transaction = context.transaction('reverse', member.memberId, points, reason);
    transaction.reversesTransactionId = earn.transactionId;
    if (lot && unspentPoints > 0) {
      context.post(transaction, 'member_wallet', member.memberId, lot.id, -unspentPoints);
      context.changeLot(lot, -unspentPoints);
    }
    if (shortfallPoints > 0) {
      const debt = context.debtLot(member, transaction.id);
      context.post(transaction, 'member_wallet', member.memberId, debt.id, -shortfallPoints);
      context.changeLot(debt, -shortfallPoints);
    }
    context.post(transaction, 'merchant_issued', null, null, points);
    earn.reversedPoints += points;
    return context.finish(transaction);
  }
}

/** Bookkeeping for one command: builds its transaction and records each change in the book. */
class CommandContext {
  constructor(
    readonly book: LedgerBook,
    readonly clock: LedgerClock,
    readonly idempotencyKey: string | null,
  ) {}

  member(memberId: string): MemberLedger {
    const member = this.book.members.get(memberId);
    if (!member) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
    this.book.settleExpiredReservations(member, this.clock);
    return member;
  }

  heldReservation(reservationId: string): Reservation {
    const reservation = this.book.reservations.get(reservationId);
    if (!reservation) throw new DomainError('reservation_not_found', `No reservation ${reservationId}`);
    const member = this.member(reservation.memberId); // releases the hold first if it has timed out
    void member;
    if (reservation.status === 'expired') {
      throw new DomainError('reservation_expired', `Reservation ${reservationId} timed out and its points were released`);
    }
    if (reservation.status !== 'held') {
      throw new DomainError('reservation_not_held', `Reservation ${reservationId} is already ${reservation.status}`, { status: reservation.status });
    }
    return reservation;
  }

  allocate(member: MemberLedger, points: number): { lot: Lot; points: number }[] {
    const allocations = allocateLots(member.lots, points, this.clock.nowMs);
    if (!allocations) {
      const availablePoints = spendablePoints(member.lots, this.clock.nowMs);
      throw new DomainError('insufficient_points', `The member has ${availablePoints} points available; ${points} needed`, { availablePoints, requestedPoints: points });
    }
    return allocations;
  }

  transaction(kind: TransactionKind, memberId: string, points: number, reason: string | null): LedgerTransaction {
    return {
      id: this.clock.newId(transactionIdPrefix),
      kind,
      memberId,
      counterpartyMemberId: null,
      points,
      reason,
      idempotencyKey: this.idempotencyKey,
      reversesTransactionId: null,
      reservationId: null,
      createdAtMs: this.clock.nowMs,
      entries: [],
    };
  }

  post(transaction: LedgerTransaction, account: Entry['account'], memberId: string | null, lotId: string | null, points: number): void {
    if (points !== 0) transaction.entries.push({ account, memberId, lotId, points });
  }

  changeLot(lot: Lot, deltaPoints: number): void {
    const member = this.book.members.get(lot.memberId);
    if (!member) throw new Error(`lot ${lot.id} belongs to member ${lot.memberId}, who was not loaded`);
    if (!this.book.lotsRemainingBefore.has(lot.id)) this.book.lotsRemainingBefore.set(lot.id, lot.pointsRemaining);
    member.positivePoints += Math.max(lot.pointsRemaining + deltaPoints, 0) - Math.max(lot.pointsRemaining, 0);
    lot.pointsRemaining += deltaPoints;
    this.book.changedLots.set(lot.id, lot);
    if (!isOpenLot(lot.pointsRemaining)) this.book.closedLots.add(lot);
  }

  debtLot(member: MemberLedger, transactionId: string): Lot {
    const existing = findDebtLot(member.lots);
    if (existing) return existing;
    const debt: Lot = {
      id: this.clock.newId('lot'), memberId: member.memberId, sourceTransactionId: transactionId,
      pointsOriginal: 0, pointsRemaining: 0, availableAtMs: this.clock.nowMs, expiresAtMs: null, createdAtMs: this.clock.nowMs,
    };
    addLotInSpendingOrder(member.lots, debt);
    this.book.newLotIds.add(debt.id);
    return debt;
  }

  /** Adds points to a member; points available now first pay off any debt from a claw-back. */
  credit(transaction: LedgerTransaction, member: MemberLedger, points: number, availableAtMs: number, expiresAtMs: number | null): void {
    let pointsLeft = points;
    const debt = availableAtMs <= this.clock.nowMs ? findDebtLot(member.lots) : undefined;
    if (debt) {
      const repaid = Math.min(pointsLeft, -debt.pointsRemaining);
      this.post(transaction, 'member_wallet', member.memberId, debt.id, repaid);
      this.changeLot(debt, repaid);
      pointsLeft -= repaid;
    }
    if (pointsLeft === 0) return;
    const lot: Lot = {
      id: this.clock.newId('lot'), memberId: member.memberId, sourceTransactionId: transaction.id,
      pointsOriginal: pointsLeft, pointsRemaining: 0, availableAtMs, expiresAtMs, createdAtMs: this.clock.nowMs,
    };
    addLotInSpendingOrder(member.lots, lot);
    member.latestAvailableAtMs = Math.max(member.latestAvailableAtMs, availableAtMs);
    this.book.newLotIds.add(lot.id);
    this.post(transaction, 'member_wallet', member.memberId, lot.id, pointsLeft);
    this.changeLot(lot, pointsLeft);
  }

  debit(transaction: LedgerTransaction, member: MemberLedger, allocations: { lot: Lot; points: number }[], account: Entry['account'], accountMemberId: string | null): void {
    let total = 0;
    for (const allocation of allocations) {
      this.post(transaction, 'member_wallet', member.memberId, allocation.lot.id, -allocation.points);
      this.changeLot(allocation.lot, -allocation.points);
      total += allocation.points;
    }
    this.post(transaction, account, accountMemberId, null, total);
  }

  finish(transaction: LedgerTransaction, reservation: Reservation | null = null): LedgerOutcome {
    const sum = transaction.entries.reduce((total, entry) => total + entry.points, 0);
    if (sum !== 0) throw new Error(`transaction ${transaction.id} does not balance: its entries sum to ${sum}`);
    this.book.newTransactions.push(transaction);
    if (transaction.kind === 'earn') {
      const lotEntry = transaction.entries.find((entry) => entry.account === 'member_wallet' && this.book.newLotIds.has(entry.lotId ?? ''));
      this.book.earns.set(transaction.id, {
        transactionId: transaction.id, kind: 'earn', memberId: transaction.memberId, points: transaction.points,
        lotId: lotEntry?.lotId ?? null, reversedPoints: 0,
      });
    }
    return { transaction, reservation };
  }
}
