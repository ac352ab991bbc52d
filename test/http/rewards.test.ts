import { expect, it } from 'vitest';
import { checkLedger } from '../../src/services/points/check-ledger';
import { reconcileRedemptions } from '../../src/services/rewards/reconcile-redemptions';
import { takeCoupon } from '../../src/services/rewards/redeem-reward';
import { merchantWithWriteKey } from '../support/event-sender';
import { availablePointsOf } from '../support/polling';
import { describeEachStore, merchantClient, type TestMerchant } from '../support/stores';

describeEachStore('rewards and coupons', (env) => {
  const latte = { nameTh: 'ลาเต้ฟรี', nameEn: 'Free latte', kind: 'free_item', value: 6500, costPoints: 100 };
  async function setup(reward: Record<string, unknown> = {}) {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    const created = await m.request('POST', '/api/v1/rewards', { ...latte, ...reward });
    expect(created.statusCode, JSON.stringify(created.json)).toBe(201);
    return { m, rewardId: created.json.id as string };
  }
  async function memberWith(m: TestMerchant, points: number): Promise<string> {
    const memberId = (await m.request('POST', '/api/v1/members', {})).json.id as string;
    if (points > 0) expect((await m.request('POST', '/api/v1/points/earn', { memberId, points, reason: 'opening' })).statusCode).toBe(201);
    return memberId;
  }
  const balanceOf = availablePointsOf;

  it('redeems points for a coupon, validates it and consumes it once', async () => {
    const { m, rewardId } = await setup({ kind: 'amount_off', value: 5000, minOrderSatang: 20000, stock: 5 });
    const memberId = await memberWith(m, 150);
    const redeemed = await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId });
    expect(redeemed.statusCode, JSON.stringify(redeemed.json)).toBe(201);
    const coupon = redeemed.json;
    expect(coupon).toMatchObject({ status: 'issued', pointsCost: 100, kind: 'amount_off', value: 5000 });
    expect(coupon.code).toMatch(/^[2-9A-Z]{10}$/);
    expect(await balanceOf(m, memberId)).toBe(50);
    expect((await m.request('GET', `/api/v1/rewards/${rewardId}`)).json.stockRemaining).toBe(4);

    const small = await m.request('POST', '/api/v1/coupons/validate', { code: coupon.code, orderAmountSatang: 10000 });
    expect(small.json).toMatchObject({ valid: false, discountSatang: 0 });
    const fine = await m.request('POST', '/api/v1/coupons/validate', { code: coupon.code.toLowerCase(), orderAmountSatang: 30000 });
    expect(fine.json).toMatchObject({ valid: true, discountSatang: 5000 });
    expect((await m.request('POST', `/api/v1/coupons/${coupon.code}/consume`, { orderId: 'o-1', orderAmountSatang: 10000 })).json.error.code).toBe('order_below_minimum');

    const used = await m.request('POST', `/api/v1/coupons/${coupon.code}/consume`, { orderId: 'o-1', orderAmountSatang: 30000 });
    expect(used.json).toMatchObject({ status: 'consumed', consumedOrderId: 'o-1', discountSatang: 5000 });
    const again = await m.request('POST', `/api/v1/coupons/${coupon.code}/consume`, { orderId: 'o-1', orderAmountSatang: 30000 });
    expect(again.statusCode).toBe(200);
    expect(again.json.consumedAt).toBe(used.json.consumedAt);
    const otherOrder = await m.request('POST', `/api/v1/coupons/${coupon.code}/consume`, { orderId: 'o-2' });
    expect(otherOrder.statusCode).toBe(409);
    expect(otherOrder.json.error.code).toBe('coupon_already_used');
    expect((await m.request('POST', '/api/v1/coupons/validate', { code: coupon.code, orderAmountSatang: 30000 })).json.valid).toBe(false);
    expect((await m.request('GET', `/api/v1/members/${memberId}/coupons`)).json.coupons.map((c: { code: string }) => c.code)).toEqual([coupon.code]);
  });

  it('never oversells: 100 redemptions at once of a reward with stock 10 give exactly 10 coupons', async () => {
    const { m, rewardId } = await setup({ stock: 10 });
    const members = await Promise.all(Array.from({ length: 100 }, () => memberWith(m, 100)));
    const second = await env().secondServer();
    const other = merchantClient(second.app, m.merchantId, m.key);
    const results = await Promise.all(members.map((memberId, at) => (at % 2 === 0 ? m : other).request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })));
    const statuses = results.map((result) => result.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(90);
    expect(results.filter((result) => result.statusCode === 409).every((result) => result.json.error.code === 'out_of_stock')).toBe(true);
    expect(new Set(results.filter((result) => result.statusCode === 201).map((result) => result.json.code)).size).toBe(10);
    expect((await m.request('GET', `/api/v1/rewards/${rewardId}`)).json.stockRemaining).toBe(0);
    const balances = await Promise.all(members.map((memberId) => balanceOf(m, memberId)));
    expect(balances.filter((balance) => balance === 0)).toHaveLength(10);
    expect(balances.filter((balance) => balance === 100)).toHaveLength(90);
    const [report] = await checkLedger(env().ctx, m.merchantId);
    expect(report?.violations).toEqual([]);
  }, 60_000);

  it('gives the stock back when the points do not cover it, and a key may be retried once they do', async () => {
    const { m, rewardId } = await setup({ stock: 1 });
    const memberId = await memberWith(m, 40);
    const refused = await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId }, { 'idempotency-key': 'redeem-1' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json.error.code).toBe('insufficient_points');
    expect((await m.request('GET', `/api/v1/rewards/${rewardId}`)).json.stockRemaining).toBe(1);
    expect((await m.request('GET', `/api/v1/members/${memberId}/coupons`)).json.coupons).toEqual([]);
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 60, reason: 'top up' });
    const first = await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId }, { 'idempotency-key': 'redeem-1' });
    expect(first.statusCode).toBe(201);
    const replay = await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId }, { 'idempotency-key': 'redeem-1' });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json.code).toBe(first.json.code);
    expect(await balanceOf(m, memberId)).toBe(0);
    const otherMember = await memberWith(m, 500);
    const reused = await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId: otherMember }, { 'idempotency-key': 'redeem-1' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json.error.code).toBe('idempotency_key_reused');
  });

  it('keeps to the per-member limit, the tiers allowed and the validity window', async () => {
    const { m, rewardId } = await setup({ perMemberLimit: 1 });
    const memberId = await memberWith(m, 1000);
    expect((await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).statusCode).toBe(201);
    const second = await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId });
    expect(second.json.error.code).toBe('redemption_limit_reached');
    const gold = (await m.request('POST', '/api/v1/rewards', { ...latte, tiers: ['gold'] })).json.id;
    expect((await m.request('POST', `/api/v1/rewards/${gold}/redeem`, { memberId })).json.error.code).toBe('reward_unavailable');
    const later = (await m.request('POST', '/api/v1/rewards', { ...latte, startsAt: new Date(Date.now() + 86_400_000).toISOString() })).json.id;
    expect((await m.request('POST', `/api/v1/rewards/${later}/redeem`, { memberId })).json.error.code).toBe('reward_unavailable');
    const paused = (await m.request('POST', '/api/v1/rewards', { ...latte, active: false })).json.id;
    expect((await m.request('POST', `/api/v1/rewards/${paused}/redeem`, { memberId })).json.error.code).toBe('reward_unavailable');
    expect(await balanceOf(m, memberId)).toBe(900);
  });

  it('hands out uploaded codes and stops when they run out', async () => {
    const { m, rewardId } = await setup({ usesCodePool: true, costPoints: 0, kind: 'gift', value: null });
    const uploaded = await m.request('POST', `/api/v1/rewards/${rewardId}/codes`, { codes: ['grab-aaa-111', 'GRAB-BBB-222', 'grabaaa111'] });
    expect(uploaded.json).toEqual({ added: 2, free: 2 });
    const memberId = await memberWith(m, 0);
    const codes = [];
    for (let i = 0; i < 2; i += 1) codes.push((await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).json.code);
    expect(codes.sort()).toEqual(['GRABAAA111', 'GRABBBB222']);
    expect((await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).json.error.code).toBe('out_of_stock');
  });

  it('cancels an unused coupon: stock back, points refunded once, then unusable', async () => {
    const { m, rewardId } = await setup({ stock: 3 });
    const memberId = await memberWith(m, 100);
    const coupon = (await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).json;
    const cancelled = await m.request('POST', `/api/v1/coupons/${coupon.code}/cancel`, { reason: 'changed mind' });
    expect(cancelled.json).toMatchObject({ status: 'cancelled', cancelReason: 'changed mind' });
    expect(cancelled.json.refundTransactionId).toBeTruthy();
    expect(await balanceOf(m, memberId)).toBe(100);
    expect((await m.request('GET', `/api/v1/rewards/${rewardId}`)).json.stockRemaining).toBe(3);
    expect((await m.request('POST', `/api/v1/coupons/${coupon.code}/cancel`, { reason: 'again' })).statusCode).toBe(200);
    expect(await balanceOf(m, memberId)).toBe(100);
    expect((await m.request('POST', `/api/v1/coupons/${coupon.code}/consume`, {})).json.error.code).toBe('coupon_not_usable');
  });

  it('expires coupons after their validity without any sweep', async () => {
    const { m, rewardId } = await setup({ couponValidDays: 7 });
    const memberId = await memberWith(m, 100);
    const coupon = (await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).json;
    env().clock.advance(7 * 86_400_000);
    expect((await m.request('GET', `/api/v1/coupons/${coupon.code}`)).json.status).toBe('expired');
    const used = await m.request('POST', `/api/v1/coupons/${coupon.code}/consume`, {});
    expect(used.statusCode).toBe(422);
    expect(used.json.error).toMatchObject({ code: 'coupon_not_usable', details: { status: 'expired' } });
  });

  it('consumes a coupon at the counter by its 6-digit code, and slows down guessing', async () => {
    const { m, rewardId } = await setup();
    const memberId = await memberWith(m, 100);
    const coupon = (await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).json;
    const { counterCode } = (await m.request('POST', `/api/v1/coupons/${coupon.code}/counter-code`)).json;
    expect(counterCode).toMatch(/^\d{6}$/);
    const used = await m.request('POST', '/api/v1/counter/redeem', { counterCode, orderId: 'pos-1' });
    expect(used.json).toMatchObject({ code: coupon.code, status: 'consumed' });
    expect((await m.request('POST', '/api/v1/counter/redeem', { counterCode })).statusCode).toBe(404);

    const other = await setup();
    const wrong = Array.from({ length: 12 }, (_, at) => String(at).padStart(6, '9'));
    const statuses = [];
    for (const code of wrong) statuses.push((await other.m.request('POST', '/api/v1/counter/redeem', { counterCode: code })).statusCode);
    expect(statuses.slice(0, 10).every((status) => status === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('gives every new member the sign-up gift, from the API and from an identify', async () => {
    const { m, rewardId } = await setup({ issueOnSignup: true, costPoints: 0, kind: 'percent_off', value: 10, stock: 2 });
    const memberId = await memberWith(m, 0);
    const coupons = (await m.request('GET', `/api/v1/members/${memberId}/coupons`)).json.coupons;
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({ rewardId, status: 'issued', pointsCost: 0, kind: 'percent_off', value: 10 });
    expect((await m.request('POST', '/api/v1/coupons/validate', { code: coupons[0].code, orderAmountSatang: 12345 })).json.discountSatang).toBe(1234);

    const { m: shop, send } = await merchantWithWriteKey(env());
    const gift = (await shop.request('POST', '/api/v1/rewards', { ...latte, costPoints: 0, issueOnSignup: true })).json.id;
    await send([{ type: 'identify', userId: 'new-customer', anonymousId: 'visit-1', traits: { name: 'Nok' } }]);
    const member = (await shop.request('GET', '/api/v1/members?externalId=new-customer')).json.members[0];
    expect((await shop.request('GET', `/api/v1/members/${member.id}/coupons`)).json.coupons.map((c: { rewardId: string }) => c.rewardId)).toEqual([gift]);
  });

  it('finishes a redemption a crash left between its two steps, spending at most once', async () => {
    const { m, rewardId } = await setup({ stock: 2 });
    const rich = await memberWith(m, 100);
    const poor = await memberWith(m, 0);
    const nowMs = env().clock.nowMs();
    const pending = await Promise.all([rich, poor].map((memberId) => env().store.db.transaction().execute((trx) =>
      takeCoupon(env().ctx, trx, m.merchantId, rewardId, memberId, { status: 'pending', pointsCost: () => 100, requestKey: null, nowMs, memberTier: null }))));
    expect((await m.request('GET', `/api/v1/rewards/${rewardId}`)).json.stockRemaining).toBe(0);
    expect((await reconcileRedemptions(env().ctx)).finished).toBe(0); // not stale yet
    env().clock.advance(120_000);
    const swept = await reconcileRedemptions(env().ctx);
    expect(swept).toMatchObject({ finished: 1, failed: 1 });
    expect((await m.request('GET', `/api/v1/coupons/${pending[0]?.code}`)).json.status).toBe('issued');
    expect(await balanceOf(m, rich)).toBe(0);
    expect((await m.request('GET', `/api/v1/coupons/${pending[1]?.code}`)).statusCode).toBe(404);
    expect((await m.request('GET', `/api/v1/rewards/${rewardId}`)).json.stockRemaining).toBe(1);
    expect(await reconcileRedemptions(env().ctx)).toMatchObject({ finished: 0, failed: 0 });
  });

  it('refuses bad rewards with a clear 400', async () => {
    const m = await env().newMerchant();
    for (const body of [
      { ...latte, kind: 'amount_off', value: null },
      { ...latte, kind: 'percent_off', value: 150 },
      { ...latte, kind: 'gift', value: 100 },
      { ...latte, costPoints: -1 },
      { ...latte, issueOnSignup: true },
      { ...latte, imageUrl: 'http://insecure.example/x.png' },
      { ...latte, startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z' },
    ]) {
      const response = await m.request('POST', '/api/v1/rewards', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
  });
});
