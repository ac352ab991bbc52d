// A batch's writes are multi-row inserts that fail the whole transaction when one row fails
// (on SQLite `INSERT OR FAIL`, which keeps no statement journal and leaves the rows before the
// failing one in place until the rollback). The batch must then leave nothing behind, and its
// commands run again one by one.
import { expect, it } from 'vitest';
import { createMember } from '../src/services/members/create-member';
import { runLedgerBatch, type BatchItem } from '../src/services/points/execute-ledger-batch';
import { createIdGenerator } from '../src/services/id-generator';
import { getBalance } from '../src/services/points/get-balance';
import { expectLedgerConsistent } from './support/ledger-assertions';
import { describeEachStore } from './support/stores';

const earn = (memberId: string, points: number): BatchItem => ({
  command: { type: 'earn', memberId, points, reason: 'order' }, idempotencyKey: null, operation: 'points.earn', requestHash: '', successStatus: 201,
});

describeEachStore('a batch whose insert fails part-way', (env) => {
  it('leaves none of its rows, and its commands run again one by one', async () => {
    const { ctx } = env();
    const m = await env().newMerchant();
    const first = (await createMember(ctx, m.merchantId, {})).id;
    const second = (await createMember(ctx, m.merchantId, {})).id;
    // Every transaction gets the same id: the batch's insert of transactions fails on its second
    // row, after the first row went in; alone, the first earn is written and the second refused.
    const ids = createIdGenerator();
    const newId = (prefix: string) => (prefix === 'txn' ? 'txn_same' : ids(prefix));
    const failures: number[] = [];
    const outcomes = await runLedgerBatch(
      { store: ctx.store, newId, onBatchFailure: (_error, batchSize) => failures.push(batchSize) },
      m.merchantId, Date.now(), [earn(first, 10), earn(second, 20)],
    );

    expect(failures).toEqual([2]);
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(outcomes[1]).toMatchObject({ ok: false, internal: expect.any(String) });
    expect((await getBalance(ctx, m.merchantId, first)).availablePoints).toBe(10);
    expect((await getBalance(ctx, m.merchantId, second)).availablePoints).toBe(0);
    const transactions = await ctx.store.db.selectFrom('points_transactions').select(['id', 'member_id', 'points'])
      .where('merchant_id', '=', m.merchantId).execute();
    expect(transactions).toEqual([{ id: 'txn_same', member_id: first, points: 10 }]);
    const entries = await ctx.store.db.selectFrom('ledger_entries').select(['transaction_id'])
      .where('merchant_id', '=', m.merchantId).execute();
    expect(entries).toHaveLength(2);
    const lots = await ctx.store.db.selectFrom('point_lots').select(['member_id', 'points_remaining'])
      .where('merchant_id', '=', m.merchantId).execute();
    expect(lots).toEqual([{ member_id: first, points_remaining: 10 }]);
    await expectLedgerConsistent(ctx, m.merchantId);
  });
});
