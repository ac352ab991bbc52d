import { expect, it } from 'vitest';
import { applyAwards } from '../../src/services/rules/apply-awards';
import { insertAwards, markAwards } from '../../src/store/rules-store';
import { merchantWithWriteKey } from '../support/event-sender';
import { expectLedgerConsistent } from '../support/ledger-assertions';
import { describeEachStore } from '../support/stores';

describeEachStore('earning rules', (env) => {
  async function setup() {
    const { m, send } = await merchantWithWriteKey(env());
    const settle = () => applyAwards(env().ctx, m.merchantId);
    const memberOf = async (externalId: string) => (await m.request('GET', `/api/v1/members?externalId=${externalId}`)).json.members[0];
    const balanceOf = async (externalId: string) => (await m.request('GET', `/api/v1/members/${(await memberOf(externalId)).id}/balance`)).json;
    return { m, send, settle, memberOf, balanceOf };
  }

  it('awards purchase points by the rule, once per event, and a first-purchase bonus once per member', async () => {
    const { m, send, settle, balanceOf } = await setup();
    expect((await m.request('POST', '/api/v1/rules', { template: 'purchase' })).statusCode).toBe(201);
    expect((await m.request('POST', '/api/v1/rules', { template: 'first_purchase', award: { kind: 'fixed', points: 50 } })).statusCode).toBe(201);
    const order = { type: 'track', event: 'Order Completed', userId: 'c1', messageId: 'order-1', properties: { order_id: 'o1', revenue: 350 } };
    await send([order]);
    await send([order]);
    await settle();
    expect((await balanceOf('c1')).availablePoints).toBe(14 + 50);
    await send([{ ...order, messageId: 'order-2', properties: { order_id: 'o2', revenue: 100 } }]);
    await settle();
    expect((await balanceOf('c1')).availablePoints).toBe(14 + 50 + 4);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('gives nothing to anonymous visitors', async () => {
    const { m, send, settle } = await setup();
    await m.request('POST', '/api/v1/rules', { template: 'purchase' });
    await send([{ type: 'track', event: 'Order Completed', anonymousId: 'guest', properties: { revenue: 500 } }]);
    expect(await settle()).toBe(0);
  });

  it('caps per day in Bangkok time, across the day boundary', async () => {
    const { m, send, settle, balanceOf } = await setup();
    await m.request('POST', '/api/v1/rules', { name: 'Review', event: 'Product Reviewed', award: { kind: 'fixed', points: 10 }, caps: { maxTimes: { count: 2, period: 'day' } } });
    await send([
      { type: 'track', event: 'Product Reviewed', userId: 'c2', timestamp: '2026-05-01T16:00:00Z' },
      { type: 'track', event: 'Product Reviewed', userId: 'c2', timestamp: '2026-05-01T16:30:00Z' },
      { type: 'track', event: 'Product Reviewed', userId: 'c2', timestamp: '2026-05-01T16:59:00Z' },
      { type: 'track', event: 'Product Reviewed', userId: 'c2', timestamp: '2026-05-01T17:00:00Z' },
    ]);
    await settle();
    expect((await balanceOf('c2')).availablePoints).toBe(30);
    // A later batch on 2 May (Bangkok) counts the award stored at 17:00Z: one more, then capped.
    await send([
      { type: 'track', event: 'Product Reviewed', userId: 'c2', timestamp: '2026-05-01T17:30:00Z' },
      { type: 'track', event: 'Product Reviewed', userId: 'c2', timestamp: '2026-05-01T17:45:00Z' },
    ]);
    await settle();
    expect((await balanceOf('c2')).availablePoints).toBe(40);
  });

  it('keeps points pending for the rule pending days and takes them back on a refund', async () => {
    const { m, send, settle, balanceOf } = await setup();
    await m.request('POST', '/api/v1/rules', { template: 'purchase', pendingDays: 7 });
    await send([{ type: 'track', event: 'Order Completed', userId: 'c3', properties: { order_id: 'o9', revenue: 250 } }]);
    await settle();
    expect(await balanceOf('c3')).toMatchObject({ availablePoints: 0, pendingPoints: 10 });
    await send([{ type: 'track', event: 'Order Refunded', userId: 'c3', properties: { order_id: 'o9' } }]);
    await settle();
    expect(await balanceOf('c3')).toMatchObject({ availablePoints: 0, pendingPoints: 0 });
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('rewards a stage entry, and previews which rules an event matches', async () => {
    const { m, send, settle, balanceOf, memberOf } = await setup();
    await m.request('POST', '/api/v1/rules', { name: 'Welcome to Purchase', event: 'Stage Entered', conditions: [{ property: 'stage', op: 'eq', value: 'purchase' }], award: { kind: 'fixed', points: 25 } });
    const purchase = (await m.request('POST', '/api/v1/rules', { template: 'purchase' })).json;
    await send([{ type: 'track', event: 'Order Completed', userId: 'c4', properties: { revenue: 50 } }]);
    await settle();
    expect((await balanceOf('c4')).availablePoints).toBe(25 + 2);
    const preview = await m.request('POST', '/api/v1/rules/preview', { event: 'Order Completed', properties: { revenue: 1000 }, memberId: (await memberOf('c4')).id });
    expect(preview.json).toEqual({ matches: [{ ruleId: purchase.id, name: '1 point per 25 THB', points: 40, pointsAfterCaps: 40 }], totalPoints: 40 });
    const off = await m.request('PATCH', `/api/v1/rules/${purchase.id}`, { active: false });
    expect(off.json.active).toBe(false);
    expect((await m.request('POST', '/api/v1/rules/preview', { event: 'Order Completed', properties: { revenue: 1000 } })).json.totalPoints).toBe(0);
    // The editor's live preview: an unsaved rule, alone, with the member's caps.
    const draft = { name: 'Double points', event: 'Order Completed', conditions: [{ property: 'revenue', op: 'gte', value: 500 }], award: { kind: 'per_amount', property: 'revenue', unitAmount: 25, pointsPerUnit: 2, rounding: 'floor' }, caps: { maxPoints: { points: 50, period: 'day' } } };
    const tried = await m.request('POST', '/api/v1/rules/preview', { event: 'Order Completed', properties: { revenue: 1000 }, draft });
    expect(tried.json).toEqual({ matches: [{ ruleId: 'draft', name: 'Double points', points: 80, pointsAfterCaps: 50 }], totalPoints: 50 });
    expect((await m.request('POST', '/api/v1/rules/preview', { event: 'Order Completed', properties: { revenue: 100 }, draft })).json.totalPoints).toBe(0);
    expect((await m.request('GET', '/api/v1/rules')).json.rules).toHaveLength(2);
    expect((await m.request('POST', '/api/v1/rules/preview', { event: 'Order Completed', draft: { ...draft, award: { kind: 'fixed', points: 0 } } })).statusCode).toBe(400);
    const other = await env().newMerchant();
    expect((await other.request('PATCH', `/api/v1/rules/${purchase.id}`, { active: true })).statusCode).toBe(404);
    expect((await m.request('POST', '/api/v1/rules', { template: 'nope' })).statusCode).toBe(400);
    expect((await m.request('POST', '/api/v1/rules', { name: 'x', event: 'y', award: { kind: 'fixed', points: -1 } })).statusCode).toBe(400);
  });

  it('records what became of each award, once: applied with its transaction, or failed with why', async () => {
    const { m } = await setup();
    const award = (id: string) => ({
      merchant_id: m.merchantId, id, kind: 'earn', rule_id: 'rule_x', member_id: 'mbr_x', points: 5, event_id: `evt_${id}`, order_id: null,
      event_at_ms: 1, available_at_ms: 1, expires_at_ms: null, reverses_award_id: null, status: 'pending', transaction_id: null, failure: null, created_at_ms: 1,
    });
    await insertAwards(env().store.db, [award('a1'), award('a2'), award('a3')]);
    await markAwards(env().store.db, m.merchantId, [
      { awardId: 'a1', status: 'applied', transaction_id: 'txn_1' },
      { awardId: 'a2', status: 'failed', failure: 'insufficient_points: spent already' },
    ]);
    // An award already settled keeps its first outcome.
    await markAwards(env().store.db, m.merchantId, [{ awardId: 'a1', status: 'failed', failure: 'late' }]);
    const rows = await env().store.db.selectFrom('point_awards').select(['id', 'status', 'transaction_id', 'failure'])
      .where('merchant_id', '=', m.merchantId).where('rule_id', '=', 'rule_x').orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a1', status: 'applied', transaction_id: 'txn_1', failure: null },
      { id: 'a2', status: 'failed', transaction_id: null, failure: 'insufficient_points: spent already' },
      { id: 'a3', status: 'pending', transaction_id: null, failure: null },
    ]);
  });
});
