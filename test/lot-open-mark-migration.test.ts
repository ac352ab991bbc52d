// Migration 0018: lots get an is_open mark that the open-lot indexes and the ledger's reads use
// instead of points_remaining. Existing lots must come out marked as what they hold says, or a
// member's points would vanish from every balance (a closed mark on a lot that holds points).
import { afterEach, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../src/store/migrate';
import type { Store } from '../src/store/open-store';
import { openStoreAt, storeKinds } from './support/stores';
import { columnNames, indexDefinitions } from './support/schema-introspection';

const before = '0017-expiring-lots-only';
const lot = (id: string, pointsRemaining: number) => ({
  merchant_id: 'mch_m', id, member_id: 'mem_a', source_transaction_id: `txn_${id}`, points_original: Math.max(pointsRemaining, 0),
  points_remaining: pointsRemaining, available_at_ms: 0, expires_at_ms: null, created_at_ms: 0,
});

for (const kind of storeKinds()) {
  describe(`migration 0018-lot-open-mark [${kind}]`, () => {
    let opened: { store: Store; close(): Promise<void> } | undefined;
    afterEach(() => opened?.close());

    it('marks lots that hold points, debts included, open and empty ones closed, and goes back down', async () => {
      opened = await openStoreAt(kind, before);
      const { store } = opened;
      // Rows as the schema before 0018 had them (no is_open column yet).
      await store.db.insertInto('point_lots').values([lot('lot_open', 5), lot('lot_spent', 0), lot('lot_debt', -3)] as never).execute();

      await migrateToLatest(store.db);
      const marks = await store.db.selectFrom('point_lots').select(['id', 'is_open']).orderBy('id').execute();
      expect(marks.map((row) => [row.id, Number(row.is_open)])).toEqual([['lot_debt', 1], ['lot_open', 1], ['lot_spent', 0]]);
      const indexes = await indexDefinitions(store, 'point_lots');
      expect(indexes.get('point_lots_open_by_member')).toMatch(/is_open\W+=\W*1/);
      expect(indexes.get('point_lots_open_by_expiry')).toMatch(/is_open\W+=\W*1.*expires_at_ms is not null/i);

      await migrateTo(store.db, before);
      expect(await columnNames(store, 'point_lots')).not.toContain('is_open');
      expect(await columnNames(store, 'point_lots')).toContain('points_remaining');
      expect((await indexDefinitions(store, 'point_lots')).get('point_lots_open_by_member')).toMatch(/points_remaining\W+<>\W*0/);
      // And up again, as after a rollback of a release.
      await migrateToLatest(store.db);
      expect((await store.db.selectFrom('point_lots').select('id').where('is_open', '=', 1).execute()).length).toBe(2);
    });
  });
}
