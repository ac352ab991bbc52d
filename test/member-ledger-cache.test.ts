// The ledger keeps members' state between batches where the store can tell another connection's
// commits (SQLite). A write from elsewhere must never be missed: the next batch rereads.
import { expect, it } from 'vitest';
import { createMember } from '../src/services/members/create-member';
import { earnPoints } from '../src/services/points/earn-points';
import { spendPoints } from '../src/services/points/spend-points';
import { getBalance } from '../src/services/points/get-balance';
import { expectLedgerConsistent } from './support/ledger-assertions';
import { describeEachStore } from './support/stores';

describeEachStore('member state kept between batches', (env) => {
  it('sees points written by another connection before the next command', async () => {
    const { ctx } = env();
    const m = await env().newMerchant();
    const memberId = (await createMember(ctx, m.merchantId, {})).id;
    await earnPoints(ctx, m.merchantId, { memberId, points: 10, reason: 'here' });
    await spendPoints(ctx, m.merchantId, { memberId, points: 1, reason: 'warms the cache' });
    const other = await env().secondServer();
    await earnPoints(other.ctx, m.merchantId, { memberId, points: 50, reason: 'from another connection' });
    // 59 points exist only if this context saw the other connection's lot.
    const spent = await spendPoints(ctx, m.merchantId, { memberId, points: 59, reason: 'all of it' });
    expect(spent.body.balance?.availablePoints).toBe(0);
    expect((await getBalance(ctx, m.merchantId, memberId)).availablePoints).toBe(0);
    await expectLedgerConsistent(ctx, m.merchantId);
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
