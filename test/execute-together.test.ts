// Statements sent together (store/execute-together.ts): answers in order, all or nothing inside a
// transaction, and on PostgreSQL one round trip for the lot — which is what the ledger batch
// relies on to cost two round trips instead of nine.
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createServiceContext } from '../src/services/context';
import { createMember } from '../src/services/members/create-member';
import { createMerchant } from '../src/services/merchants/create-merchant';
import { earnPoints } from '../src/services/points/earn-points';
import { executeTogether, readTogether, rowsRead } from '../src/store/execute-together';
import { openStore, type Store } from '../src/store/open-store';
import type { ScratchDatabase } from './support/scratch-database';
import { createTestDatabase, describeEachStore, silentLogger, storeKinds } from './support/stores';

describeEachStore('executeTogether', (env) => {
  const memberRow = (merchantId: string, id: string) => ({ merchant_id: merchantId, id, created_at_ms: 1, updated_at_ms: 1 });
  const storedMemberIds = async (merchantId: string) =>
    (await env().store.db.selectFrom('members').select('id').where('merchant_id', '=', merchantId).orderBy('id').execute()).map((row) => row.id);

  it('answers each statement in the order given', async () => {
    const { db } = env().store;
    const results = await db.transaction().execute((trx) => executeTogether(trx, [
      sql`select 1 as n`.compile(trx), sql`select 2 as n`.compile(trx), sql`select 3 as n`.compile(trx),
    ]));
    expect(results.map((result) => (result.rows[0] as { n: number }).n).map(Number)).toEqual([1, 2, 3]);
  });

  it('rejects with the failing statement and the transaction writes nothing of the others', async () => {
    const m = await env().newMerchant();
    const { db } = env().store;
    const member = (id: string) => memberRow(m.merchantId, id);
    const attempt = db.transaction().execute((trx) => executeTogether(trx, [
      trx.insertInto('members').values(member('mem_together_a')).compile(),
      trx.insertInto('members').values(member('mem_together_a')).compile(), // the same primary key again
      trx.insertInto('members').values(member('mem_together_c')).compile(),
    ]));
    await expect(attempt).rejects.toSatisfy((error: unknown) => env().store.dialect.isUniqueViolation(error));
    expect(await storedMemberIds(m.merchantId)).toEqual([]);
  });

  it('with the COMMIT sent along (thenCommit): a failing statement leaves nothing, and then a good batch commits', async () => {
    const m = await env().newMerchant();
    const { db } = env().store;
    const member = (id: string) => memberRow(m.merchantId, id);
    const failing = db.transaction().execute((trx) => executeTogether(trx, [
      trx.insertInto('members').values(member('mem_commit_a')).compile(),
      trx.insertInto('members').values(member('mem_commit_a')).compile(),
    ], { thenCommit: true }));
    await expect(failing).rejects.toSatisfy((error: unknown) => env().store.dialect.isUniqueViolation(error));
    expect(await storedMemberIds(m.merchantId)).toEqual([]);
    // The connections go on as before: the next transactions commit, and a rollback still rolls back.
    for (let round = 0; round < 3; round += 1) {
      await db.transaction().execute((trx) => executeTogether(trx, [trx.insertInto('members').values(member(`mem_commit_${round}`)).compile()], { thenCommit: true }));
    }
    await expect(db.transaction().execute(async (trx) => {
      await executeTogether(trx, [trx.insertInto('members').values(member('mem_rolled_back')).compile()]);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await storedMemberIds(m.merchantId)).toEqual(['mem_commit_0', 'mem_commit_1', 'mem_commit_2']);
  });

  it('reads several things in one call and answers each with its own rows', async () => {
    const m = await env().newMerchant();
    const { db } = env().store;
    const [merchants, none] = await readTogether(db, [
      rowsRead([db.selectFrom('merchants').select('id').where('id', '=', m.merchantId)]),
      rowsRead([db.selectFrom('members').select('id').where('merchant_id', '=', m.merchantId)]),
    ]);
    expect(merchants).toEqual([{ id: m.merchantId }]);
    expect(none).toEqual([]);
  });
});

// Round trips are counted as the queries a connection is given while it has none outstanding.
describe.runIf(storeKinds().includes('postgres'))('round trips on PostgreSQL', () => {
  const originalQuery = pg.Client.prototype.query;
  let database: ScratchDatabase | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    pg.Client.prototype.query = originalQuery;
    await store?.close();
    await database?.drop();
  });

  it('a batch of earns costs two round trips: begin with the merchant, the locks and the reads under them; the writes with the commit', async () => {
    database = await createTestDatabase('postgres');
    store = await openStore({ databaseUrl: database.databaseUrl });
    const ctx = createServiceContext(store, { logger: silentLogger });
    const merchant = await createMerchant(ctx, { name: 'Round trips' });
    const memberIds = await Promise.all(Array.from({ length: 5 }, async () => (await createMember(ctx, merchant.id, {})).id));
    // Only statements inside a transaction are counted: earning also starts tier upgrades that
    // read on their own, after the answer, and may still be running when the next round begins.
    const counted = async () => {
      let roundTrips = 0;
      let statements = 0;
      const outstanding = new WeakMap<object, number>();
      const inTransaction = new WeakSet<object>();
      pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
        if (text === 'begin') inTransaction.add(this);
        if (!inTransaction.has(this)) return (originalQuery as (...a: unknown[]) => unknown).apply(this, args) as Promise<unknown>;
        if (text === 'commit' || text === 'rollback') inTransaction.delete(this);
        statements += 1;
        const before = outstanding.get(this) ?? 0;
        if (before === 0) roundTrips += 1;
        outstanding.set(this, before + 1);
        const done = () => outstanding.set(this, (outstanding.get(this) ?? 1) - 1);
        const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args) as Promise<unknown>;
        result.then(done, done);
        return result;
      } as typeof originalQuery;
      // Submitted in one turn of the event loop, so they share one batch.
      const results = await Promise.all(memberIds.map((memberId) => earnPoints(ctx, merchant.id, { memberId, points: 10, reason: 'counted' })));
      pg.Client.prototype.query = originalQuery;
      expect(results.every((result) => result.statusCode === 201)).toBe(true);
      return { roundTrips, statements };
    };
    // Members seen for the first time: begin, merchant, lock, lots, held reservations; three
    // inserts, the members' ledger versions, commit.
    expect(await counted()).toEqual({ roundTrips: 2, statements: 10 });
    // The same members again: their state was kept, and their versions (read with the lock) say
    // it is current, so no lots are read.
    expect(await counted()).toEqual({ roundTrips: 2, statements: 8 });
    await ctx.ledger.close();
  });
});
