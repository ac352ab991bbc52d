// The ledger keeps members' state between batches: SQLite drops it whole when another connection
// has committed, PostgreSQL keeps it per member with the member's ledger_version. A write from
// elsewhere must never be missed: the next batch rereads.
import { describe, expect, it } from 'vitest';
import type { Lot } from '../src/domain/ledger/types';
import { newMemberLedger } from '../src/domain/ledger/ledger-book';
import { MemberLedgerCache } from '../src/services/points/member-ledger-cache';
import { createMember } from '../src/services/members/create-member';
import { earnPoints } from '../src/services/points/earn-points';
import { spendPoints } from '../src/services/points/spend-points';
import { getBalance } from '../src/services/points/get-balance';
import { runLedgerBatch } from '../src/services/points/execute-ledger-batch';
import { createIdGenerator } from '../src/services/id-generator';
import { expectLedgerConsistent } from './support/ledger-assertions';
import { describeEachStore } from './support/stores';

describeEachStore('member state kept between batches', (env) => {
  /** A new member with `earned - spent` points whose state this server now keeps (a spend warmed it). */
  const keptMember = async (earned: number, spent: number) => {
    const { ctx } = env();
    const m = await env().newMerchant();
    const memberId = (await createMember(ctx, m.merchantId, {})).id;
    await earnPoints(ctx, m.merchantId, { memberId, points: earned, reason: 'here' });
    await spendPoints(ctx, m.merchantId, { memberId, points: spent, reason: 'warms the cache' });
    return { ctx, m, memberId };
  };

  it('sees points written by another connection before the next command', async () => {
    const { ctx, m, memberId } = await keptMember(10, 1);
    const other = await env().secondServer();
    await earnPoints(other.ctx, m.merchantId, { memberId, points: 50, reason: 'from another connection' });
    // 59 points exist only if this context saw the other connection's lot.
    const spent = await spendPoints(ctx, m.merchantId, { memberId, points: 59, reason: 'all of it' });
    expect(spent.body.balance?.availablePoints).toBe(0);
    expect((await getBalance(ctx, m.merchantId, memberId)).availablePoints).toBe(0);
    await expectLedgerConsistent(ctx, m.merchantId);
  });

  it('sees each of several writes from another server in turn, through both servers\' kept state', async () => {
    const { ctx } = env();
    const m = await env().newMerchant();
    const memberId = (await createMember(ctx, m.merchantId, {})).id;
    const other = await env().secondServer();
    await earnPoints(ctx, m.merchantId, { memberId, points: 100, reason: 'opening' });
    let expected = 100;
    for (let round = 1; round <= 4; round += 1) {
      // Each server spends once, after the other has written: each must see the other's last write.
      const here = await spendPoints(ctx, m.merchantId, { memberId, points: round, reason: `here ${round}` });
      expected -= round;
      expect(here.body.balance?.availablePoints).toBe(expected);
      const there = await earnPoints(other.ctx, m.merchantId, { memberId, points: 10 * round, reason: `there ${round}` });
      expected += 10 * round;
      expect(there.body.balance?.availablePoints).toBe(expected);
    }
    expect((await getBalance(ctx, m.merchantId, memberId)).availablePoints).toBe(expected);
    await expectLedgerConsistent(ctx, m.merchantId);
  });

  it('sees a write from a writer that keeps no state of its own', async () => {
    const { ctx, m, memberId } = await keptMember(20, 5);
    const other = await env().secondServer();
    const [outcome] = await runLedgerBatch({ store: other.store, newId: createIdGenerator() }, m.merchantId, Date.now(), [
      { command: { type: 'earn', memberId, points: 30, reason: 'no cache there' }, idempotencyKey: null, operation: 'points.earn', requestHash: '', successStatus: 201 },
    ]);
    expect(outcome?.ok).toBe(true);
    const spent = await spendPoints(ctx, m.merchantId, { memberId, points: 45, reason: 'all of it' });
    expect(spent.body.balance?.availablePoints).toBe(0);
    await expectLedgerConsistent(ctx, m.merchantId);
  });

  it('raises a member\'s ledger_version with every batch that writes it on PostgreSQL; SQLite leaves it at 0', async () => {
    const { ctx, store } = env();
    const m = await env().newMerchant();
    const memberId = (await createMember(ctx, m.merchantId, {})).id;
    const version = async () => Number((await store.db.selectFrom('members').select('ledger_version')
      .where('merchant_id', '=', m.merchantId).where('id', '=', memberId).executeTakeFirstOrThrow()).ledger_version);
    expect(await version()).toBe(0);
    await earnPoints(ctx, m.merchantId, { memberId, points: 10, reason: 'one' });
    await spendPoints(ctx, m.merchantId, { memberId, points: 3, reason: 'two' });
    expect(await version()).toBe(store.dialect.ledgerCacheCheck === 'member-version' ? 2 : 0);
  });

  it('forgets a batch that failed, so its half-applied state is never reused', async () => {
    const { ctx } = env();
    const m = await env().newMerchant();
    const memberId = (await createMember(ctx, m.merchantId, {})).id;
    await earnPoints(ctx, m.merchantId, { memberId, points: 30, reason: 'x' });
    // An unknown reservation fails as a rule, but a spend of more than the balance must leave the lots as they were.
    await expect(spendPoints(ctx, m.merchantId, { memberId, points: 31, reason: 'x' })).rejects.toMatchObject({ code: 'insufficient_points' });
    const spent = await spendPoints(ctx, m.merchantId, { memberId, points: 30, reason: 'x' });
    expect(spent.body.balance?.availablePoints).toBe(0);
    await expectLedgerConsistent(ctx, m.merchantId);
  });
});

describe('MemberLedgerCache.remember', () => {
  const lot = (id: string, pointsRemaining: number): Lot => ({
    id, memberId: 'mem_a', sourceTransactionId: `txn_${id}`, pointsOriginal: 10, pointsRemaining, availableAtMs: 0, expiresAtMs: null, createdAtMs: 0,
  });

  it('keeps a member as it is when no lot emptied, and drops the lots the batch emptied, in place, unless a hold still names them', () => {
    const cache = new MemberLedgerCache();
    cache.validate(1);
    const untouched = { ...newMemberLedger('mem_a', 0), lots: [lot('lot_1', 4), lot('lot_2', -3)] };
    const held = {
      id: 'res_1', memberId: 'mem_b', points: 5, status: 'held' as const, reason: null, expiresAtMs: 1, createdAtMs: 0, resolvedAtMs: null,
      lots: [{ lotId: 'lot_held', points: 5 }],
    };
    const emptied = {
      ...newMemberLedger('mem_b', 0), lots: [lot('lot_spent', 0), lot('lot_held', 0), lot('lot_open', 2), lot('lot_refilled', 3)], heldReservations: [held],
    };
    for (const each of emptied.lots) each.memberId = 'mem_b';
    // What the batch emptied or released: lot_refilled was emptied and refilled in the same batch.
    const closedLots = emptied.lots.filter((each) => each.id !== 'lot_open');
    cache.acquire();
    cache.remember('mch_m', new Map([[untouched.memberId, untouched], [emptied.memberId, emptied]]), closedLots);
    cache.release();
    const { cached, missing } = cache.take('mch_m', ['mem_a', 'mem_b', 'mem_c']);
    expect(missing).toEqual(['mem_c']);
    expect(cached[0]).toBe(untouched);
    // The batch hands its members over; their lists are pruned in place, in the same order.
    expect(cached[1]).toBe(emptied);
    expect(cached[1]?.lots.map((kept) => kept.id)).toEqual(['lot_held', 'lot_open', 'lot_refilled']);
  });
});

describe('MemberLedgerCache.take with versions', () => {
  const ledger = (memberId: string) => newMemberLedger(memberId, 0);

  it('hands over a member only for the version it was kept with, and only once', () => {
    const cache = new MemberLedgerCache();
    const kept = ledger('mem_a');
    cache.remember('mch_m', new Map([['mem_a', kept], ['mem_b', ledger('mem_b')]]), [], new Map([['mem_a', 3], ['mem_b', 7]]));
    // mem_b was written elsewhere since (version 8): its kept state must not be used.
    const first = cache.take('mch_m', ['mem_a', 'mem_b'], new Map([['mem_a', 3], ['mem_b', 8]]));
    expect(first.cached).toEqual([kept]);
    expect(first.missing).toEqual(['mem_b']);
    // Taken means handed to one batch: a second batch at the same moment reads the store instead.
    expect(cache.take('mch_m', ['mem_a'], new Map([['mem_a', 3]])).missing).toEqual(['mem_a']);
    // The stale one was dropped, not kept for later.
    expect(cache.take('mch_m', ['mem_b'], new Map([['mem_b', 7]])).missing).toEqual(['mem_b']);
  });
});
