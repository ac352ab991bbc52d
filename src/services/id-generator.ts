// Ids are `<prefix>_<ulid>`: they sort by creation time, so cursors and "newest first" need no
// extra column. ulid's default randomness asks the system for one byte per character (16 calls per
// id); here the bytes come from a pool refilled 4 KB at a time. Ids are not secrets (keys and
// tokens are made elsewhere with their own randomness).
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * A generator of ids that increase within this thread, even within one millisecond. An id's time
 * part is `atMs` when given (the ledger stamps a batch's ids with the batch's clock, so that a
 * transaction's id never sorts before its created_at_ms: ledger-store.ts transfersSinceRead), else
 * now; never earlier than the thread's last id, which keeps them increasing when a clock steps back.
 */
export function createIdGenerator(): (prefix: string, atMs?: number) => string {
  const pool = Buffer.alloc(4096);
  let offset = pool.length;
  const randomFraction = () => {
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    return (pool[offset++] as number) / 256;
  };
  const nextUlid = monotonicFactory(randomFraction);
  return (prefix, atMs) => `${prefix}_${nextUlid(atMs).toLowerCase()}`;
}
