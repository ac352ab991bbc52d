// Members' ledger state (open lots, held reservations) kept between batches, so a batch does not
// reload from the store what an earlier batch just wrote. Sound only as long as it can tell when
// something else has written them (the dialect's ledgerCacheCheck):
// - SQLite: `PRAGMA data_version` changes exactly when another connection commits, and the cache
//   is then dropped whole (validate). Batches run one at a time (acquire/release).
// - PostgreSQL: each member's ledger_version, read under its row lock, must be the version kept
//   with its state (take); every batch raises the versions of the members it writes. Batches may
//   run side by side: take hands a member's state to one batch only.
// Every ledger write goes through the pipeline; nothing else may write lots, reservations or entries.
import type { MemberLedger } from '../../domain/ledger/ledger-book';
import { isOpenLot, type Lot } from '../../domain/ledger/types';
import type { StoreDialect } from '../../store/dialect';

/** Whether a writer's batches must run one at a time: where kept state is checked by SQLite's change counter. */
export function ledgerBatchesRunOneAtATime(dialect: StoreDialect): boolean {
  return dialect.ledgerCacheCheck === 'change-counter';
}

export class MemberLedgerCache {
  /** By merchant and member, in least-recently-used order; `version`: the member's ledger_version it belongs to. */
  private readonly ledgers = new Map<string, { ledger: MemberLedger; version: number }>();
  private changeCounter: number | null = null;
  private inUse = false;

  constructor(private readonly maxMembers = 50_000) {}

  /** Marks the start of a batch; two at once would hand the same state to both, so that is a bug. */
  acquire(): void {
    if (this.inUse) throw new Error('two ledger batches used the member state cache at once');
    this.inUse = true;
  }

  release(): void {
    this.inUse = false;
  }

  /** Drops everything when another connection has committed since the last look. */
  validate(changeCounter: number): void {
    if (changeCounter !== this.changeCounter) this.ledgers.clear();
    this.changeCounter = changeCounter;
  }

  /** Whether some state of the member is kept (whatever its version); nothing is taken. */
  holds(merchantId: string, memberId: string): boolean {
    return this.ledgers.has(`${merchantId}\u0000${memberId}`);
  }

  /**
   * The cached members, handed over as they are and taken out of the cache: the batch mutates them
   * and then either commits and gives them back with remember(), or fails and forgets them. With
   * `versions` (each member's ledger_version as read under its lock), a member counts as cached
   * only if its state was kept for that version; an older one is dropped.
   */
  take(merchantId: string, memberIds: Iterable<string>, versions?: ReadonlyMap<string, number>): { cached: MemberLedger[]; missing: string[] } {
    const cached: MemberLedger[] = [];
    const missing: string[] = [];
    for (const memberId of memberIds) {
      const key = `${merchantId}\u0000${memberId}`;
      const entry = this.ledgers.get(key);
      this.ledgers.delete(key);
      if (entry && (!versions || versions.get(memberId) === entry.version)) cached.push(entry.ledger);
      else missing.push(memberId);
    }
    return { cached, missing };
  }

  /**
   * Keeps the state a committed batch left (`ledgers`: by member id); `versions`: the ledger_version each member has now (0
   * where versions are not kept). The batch hands its members over, and `closedLots` (what it
   * emptied or released from a hold, LedgerBook.closedLots) are dropped from their lists in place
   * if still empty and unheld: pruning only those, not re-reading every lot of every member the
   * batch touched, which cost the writer thread ~10 µs a command once members held a few hundred.
   */
  remember(merchantId: string, ledgers: ReadonlyMap<string, MemberLedger>, closedLots: Iterable<Lot> = [], versions?: ReadonlyMap<string, number>): void {
    for (const ledger of ledgers.values()) {
      const key = `${merchantId}\u0000${ledger.memberId}`;
      this.ledgers.delete(key);
      this.ledgers.set(key, { ledger, version: versions?.get(ledger.memberId) ?? 0 });
    }
    for (const lot of closedLots) {
      const ledger = ledgers.get(lot.memberId);
      if (!ledger || isOpenLot(lot.pointsRemaining) || isHeld(ledger, lot.id)) continue;
      // Spends take lots from the front of the list, so an emptied lot is found within a few steps.
      const index = ledger.lots.indexOf(lot);
      if (index >= 0) ledger.lots.splice(index, 1);
    }
    while (this.ledgers.size > this.maxMembers) {
      const oldest = this.ledgers.keys().next().value as string;
      this.ledgers.delete(oldest);
    }
  }

  forget(merchantId: string, memberIds: Iterable<string>): void {
    for (const memberId of memberIds) this.ledgers.delete(`${merchantId}\u0000${memberId}`);
  }
}


function isHeld(ledger: MemberLedger, lotId: string): boolean {
  return ledger.heldReservations.some((reservation) => reservation.lots.some((portion) => portion.lotId === lotId));
}
