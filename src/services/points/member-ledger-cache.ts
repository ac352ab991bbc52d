// Members' ledger state (open lots, held reservations) kept between batches, so a batch does not
// reload from the store what the previous batch just wrote. Only sound where this process is the
// only writer of ledger rows and can tell when another connection has written: SQLite's
// `PRAGMA data_version` changes exactly when another connection commits, and the cache is then
// dropped whole. Every ledger write goes through the pipeline; nothing else may write lots,
// reservations or entries on the pipeline's own connection.
import type { MemberLedger } from '../../domain/ledger/ledger-book';
import { isOpenLot } from '../../domain/ledger/types';

export class MemberLedgerCache {
  private readonly ledgers = new Map<string, MemberLedger>();
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

  /**
   * The cached members, handed over as they are: the batch mutates them and then either commits
   * and gives them back with remember(), or fails and forget()s them. Batches run one at a time
   * where there is a cache (a single writer), so nothing else sees them half-changed.
   */
  take(merchantId: string, memberIds: Iterable<string>): { cached: MemberLedger[]; missing: string[] } {
    const cached: MemberLedger[] = [];
    const missing: string[] = [];
    for (const memberId of memberIds) {
      const key = `${merchantId}\u0000${memberId}`;
      const ledger = this.ledgers.get(key);
      if (!ledger) {
        missing.push(memberId);
        continue;
      }
      // Re-insert to keep the map in least-recently-used order.
      this.ledgers.delete(key);
      this.ledgers.set(key, ledger);
      cached.push(ledger);
    }
    return { cached, missing };
  }

  /** Keeps the state a committed batch left, without the lots that are spent and no longer held. */
  remember(merchantId: string, ledgers: Iterable<MemberLedger>): void {
    for (const ledger of ledgers) {
      // Most batches empty no lot: the member is kept as it is, without a copy.
      let kept = ledger;
      if (ledger.lots.some((lot) => !isOpenLot(lot.pointsRemaining))) {
        const heldLotIds = new Set(ledger.heldReservations.flatMap((reservation) => reservation.lots.map((portion) => portion.lotId)));
        kept = { ...ledger, lots: ledger.lots.filter((lot) => isOpenLot(lot.pointsRemaining) || heldLotIds.has(lot.id)) };
      }
      const key = `${merchantId}\u0000${ledger.memberId}`;
      this.ledgers.delete(key);
      this.ledgers.set(key, kept);
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
