// Migration 0020: transfers lose their index of their own; the monthly transfer limit reads the
// sender's history index by id instead (ledger-store.ts transfersSinceRead). Checked here: the
// migration goes up and down, and both stores' planners take the history index for that read
// rather than scanning the merchant's transactions (its rows made in a transaction rolled back, with
// PostgreSQL's statistics of them, as in the expiry sweep's test in http/points.test.ts): other
// members' transactions of the same month, which a read by id alone would go through.
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { firstIdMadeAt } from '../src/domain/ids';
import { migrateTo, migrateToLatest } from '../src/store/migrate';
import type { Store } from '../src/store/open-store';
import { transfersSinceRead } from '../src/store/ledger-store';
import { openStoreAt, storeKinds } from './support/stores';
import { indexDefinitions } from './support/schema-introspection';

const before = '0019-member-ledger-version';

for (const kind of storeKinds()) {
  describe(`migration 0020-drop-transfers-index [${kind}]`, () => {
    let opened: { store: Store; close(): Promise<void> } | undefined;
    afterEach(() => opened?.close());

    it('drops the transfers index and brings it back going down', async () => {
      opened = await openStoreAt(kind, before);
      const { store } = opened;
      expect(await indexNames(store)).toContain('points_transactions_transfers_by_member');
      await migrateToLatest(store.db);
      expect(await indexNames(store)).not.toContain('points_transactions_transfers_by_member');
      await migrateTo(store.db, before);
      expect(await indexNames(store)).toContain('points_transactions_transfers_by_member');
      await migrateToLatest(store.db);
    });

    it("reads a month of a sender's transfers through the history index, and counts only that month", async () => {
      opened = await openStoreAt(kind, before);
      const db = opened.store.db;
      await migrateToLatest(db);
      const monthStartMs = Date.parse('2026-11-30T17:00:00Z');
      const row = (index: number, memberId: string, kindOfRow: string, createdAtMs: number, idAtMs = createdAtMs) => ({
        merchant_id: 'mch_plan', id: `${firstIdMadeAt('txn', idAtMs).slice(0, 14)}${String(index).padStart(16, '0')}`, kind: kindOfRow,
        member_id: memberId, counterparty_member_id: kindOfRow === 'transfer' ? 'mbr_other' : null, points: 10, reason: null,
        idempotency_key: null, reverses_transaction_id: null, reservation_id: null, created_at_ms: createdAtMs,
      });
      const rows = [
        ...Array.from({ length: 2000 }, (_, index) => row(index, `mbr_${index % 200}`, index % 3 === 0 ? 'transfer' : 'earn', monthStartMs + index * 60_000)),
        row(5000, 'mbr_sender', 'transfer', monthStartMs - 1), // the month before
        row(5001, 'mbr_sender', 'transfer', monthStartMs), // the month's first millisecond
        row(5002, 'mbr_sender', 'earn', monthStartMs + 5), // not a transfer
        row(5003, 'mbr_sender', 'transfer', monthStartMs + 86_400_000),
      ];
      const read = transfersSinceRead(db, 'mch_plan', ['mbr_sender', 'mbr_nobody'], monthStartMs);
      const result = await db.connection().execute(async (connection) => {
        const postgres = kind === 'postgres';
        await connection.executeQuery(CompiledQuery.raw('begin'));
        try {
          await connection.executeQuery(db.insertInto('points_transactions').values(rows).compile());
          if (postgres) await connection.executeQuery(CompiledQuery.raw('analyze points_transactions'));
          if (postgres) await connection.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
          const [query] = read.statements;
          const explain = postgres ? 'explain ' : 'explain query plan ';
          const plan = JSON.stringify((await connection.executeQuery(CompiledQuery.raw(explain + query!.sql, [...query!.parameters]))).rows);
          const totals = read.answer([await connection.executeQuery(query!)]);
          return { plan, totals };
        } finally {
          await connection.executeQuery(CompiledQuery.raw('rollback'));
        }
      });
      expect(result.plan).toContain('points_transactions_by_member');
      expect(read.statements).toHaveLength(1);
      // The month's first millisecond and a day later; not the month before, not the earn.
      expect(result.totals).toEqual(new Map([['mbr_sender', 20]]));
    });
  });
}

async function indexNames(store: Store): Promise<string[]> {
  return [...(await indexDefinitions(store, 'points_transactions')).keys()];
}
