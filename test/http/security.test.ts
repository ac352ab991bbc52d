import { expect, it } from 'vitest';
import { createApiKey } from '../../src/services/keys/create-api-key';
import { describeEachStore, merchantClient, type TestMerchant } from '../support/stores';

interface Fixture {
  memberId: string;
  earnId: string;
  reservationId: string;
  rewardId: string;
  couponCode: string;
  referralId: string;
  shareCode: string;
  ugcId: string;
  staffId: string;
}

async function fixture(m: TestMerchant): Promise<Fixture> {
  const memberId = (await m.request('POST', '/api/v1/members', { phone: `08${Math.floor(10_000_000 + Math.random() * 89_999_999)}` })).json.id;
  const earnId = (await m.request('POST', '/api/v1/points/earn', { memberId, points: 100, reason: 'x' })).json.transaction.id;
  const reservationId = (await m.request('POST', '/api/v1/points/reservations', { memberId, points: 10 })).json.reservation.id;
  const rewardId = (await m.request('POST', '/api/v1/rewards', { nameTh: 'ของขวัญ', nameEn: 'Gift', kind: 'gift', costPoints: 0 })).json.id;
  const couponCode = (await m.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { memberId })).json.code;
  const friendId = (await m.request('POST', '/api/v1/members', {})).json.id;
  const referralCode = (await m.request('GET', `/api/v1/members/${memberId}/referral-code`)).json.code;
  const referralId = (await m.request('POST', '/api/v1/referrals', { code: referralCode, refereeMemberId: friendId })).json.id;
  await m.request('PATCH', '/api/v1/merchant', { websiteUrl: 'https://shop.example/' });
  const shareCode = (await m.request('POST', '/api/v1/share-links', { url: 'https://shop.example/p/1', memberId })).json.code;
  const ugcId = (await m.request('POST', '/api/v1/ugc', { memberId, kind: 'review', rating: 5, consent: true })).json.id;
  const staffId = (await m.request('POST', '/api/v1/staff', { email: `cashier-${memberId}@shop.example`, name: 'Cashier', role: 'cashier', password: 'long enough password' })).json.id;
  return { memberId, earnId, reservationId, rewardId, couponCode, referralId, shareCode, ugcId, staffId };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
/** Every endpoint under /api/v1, with a valid request built from a fixture of its merchant. */
function endpoints(f: Fixture): { method: Method; url: string; body?: unknown }[] {
  return [
    { method: 'GET', url: '/api/v1/merchant' },
    { method: 'GET', url: '/api/v1/overview' },
    { method: 'PATCH', url: '/api/v1/merchant', body: { name: 'renamed' } },
    { method: 'POST', url: '/api/v1/members', body: { name: 'new' } },
    { method: 'GET', url: '/api/v1/members' },
    { method: 'GET', url: `/api/v1/members/${f.memberId}` },
    { method: 'PATCH', url: `/api/v1/members/${f.memberId}`, body: { name: 'x' } },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/balance` },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/transactions` },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/timeline` },
    { method: 'POST', url: '/api/v1/points/earn', body: { memberId: f.memberId, points: 5, reason: 'x' } },
    { method: 'POST', url: '/api/v1/points/spend', body: { memberId: f.memberId, points: 5, reason: 'x' } },
    { method: 'POST', url: '/api/v1/points/transfer', body: { fromMemberId: f.memberId, toMemberId: f.memberId, points: 5 } },
    { method: 'POST', url: '/api/v1/points/adjust', body: { memberId: f.memberId, points: 5, reason: 'x' } },
    { method: 'POST', url: `/api/v1/points/transactions/${f.earnId}/reverse`, body: { points: 1 } },
    { method: 'GET', url: `/api/v1/points/transactions/${f.earnId}` },
    { method: 'POST', url: '/api/v1/points/reservations', body: { memberId: f.memberId, points: 5 } },
    { method: 'GET', url: `/api/v1/points/reservations/${f.reservationId}` },
    { method: 'POST', url: `/api/v1/points/reservations/${f.reservationId}/commit` },
    { method: 'POST', url: `/api/v1/points/reservations/${f.reservationId}/void` },
    { method: 'GET', url: '/api/v1/events' },
    { method: 'GET', url: '/api/v1/journey/stages' },
    { method: 'PUT', url: '/api/v1/journey/stages', body: { stages: [{ key: 'awareness', name: 'Awareness', rules: [{ event: '*' }] }] } },
    { method: 'GET', url: '/api/v1/rules' },
    { method: 'POST', url: '/api/v1/rules', body: { template: 'purchase' } },
    { method: 'POST', url: '/api/v1/rules/preview', body: { event: 'Order Completed', memberId: f.memberId } },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/tier` },
    { method: 'GET', url: '/api/v1/tiers' },
    { method: 'PUT', url: '/api/v1/tiers', body: { basis: 'points_earned', windowMonths: 12, graceDays: 30, tiers: [{ key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' }] } },
    { method: 'GET', url: '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31' },
    { method: 'GET', url: '/api/v1/analytics/journey/dropouts?from=2026-03-01&to=2026-03-31&stage=awareness' },
    { method: 'POST', url: '/api/v1/analytics/funnels', body: { from: '2026-03-01', to: '2026-03-31', steps: [{ event: 'A' }, { event: 'B' }] } },
    { method: 'GET', url: '/api/v1/analytics/retention?from=2026-03-01&to=2026-03-31' },
    { method: 'GET', url: '/api/v1/analytics/flows?from=2026-03-01&to=2026-03-31' },
    { method: 'GET', url: '/api/v1/analytics/attribution?from=2026-03-01&to=2026-03-31' },
    { method: 'GET', url: '/api/v1/analytics/channels' },
    { method: 'PUT', url: '/api/v1/analytics/channels', body: { rules: [] } },
    { method: 'GET', url: '/api/v1/rewards' },
    { method: 'POST', url: '/api/v1/rewards', body: { nameTh: 'ก', nameEn: 'A', kind: 'gift', costPoints: 1 } },
    { method: 'GET', url: `/api/v1/rewards/${f.rewardId}` },
    { method: 'PATCH', url: `/api/v1/rewards/${f.rewardId}`, body: { costPoints: 2 } },
    { method: 'POST', url: `/api/v1/rewards/${f.rewardId}/codes`, body: { codes: ['X1234'] } },
    { method: 'POST', url: `/api/v1/rewards/${f.rewardId}/redeem`, body: { memberId: f.memberId } },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/coupons` },
    { method: 'GET', url: `/api/v1/coupons/${f.couponCode}` },
    { method: 'POST', url: '/api/v1/coupons/validate', body: { code: f.couponCode, orderAmountSatang: 100 } },
    { method: 'POST', url: `/api/v1/coupons/${f.couponCode}/counter-code` },
    { method: 'POST', url: `/api/v1/coupons/${f.couponCode}/consume`, body: {} },
    { method: 'POST', url: `/api/v1/coupons/${f.couponCode}/cancel`, body: { reason: 'x' } },
    { method: 'POST', url: '/api/v1/counter/redeem', body: { counterCode: '000000' } },
    { method: 'POST', url: '/api/v1/counter/sales', body: { phone: '0891234567', amountSatang: 100, saleId: 'sale-security-1' } },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/referral-code` },
    { method: 'POST', url: '/api/v1/share-links', body: { url: 'https://shop.example/p/1', memberId: f.memberId } },
    { method: 'GET', url: `/api/v1/share-links/${f.shareCode}` },
    { method: 'GET', url: `/api/v1/members/${f.memberId}/share-links` },
    { method: 'POST', url: '/api/v1/ugc', body: { memberId: f.memberId, kind: 'review', rating: 4, consent: true } },
    { method: 'GET', url: '/api/v1/ugc' },
    { method: 'GET', url: `/api/v1/ugc/${f.ugcId}` },
    { method: 'POST', url: `/api/v1/ugc/${f.ugcId}/approve` },
    { method: 'POST', url: `/api/v1/ugc/${f.ugcId}/reject`, body: { reason: 'x' } },
    { method: 'POST', url: `/api/v1/ugc/${f.ugcId}/withdraw-consent` },
    { method: 'GET', url: '/api/v1/staff' },
    { method: 'POST', url: '/api/v1/staff', body: { email: 'new@shop.example', name: 'New', role: 'cashier', password: 'long enough password' } },
    { method: 'PATCH', url: `/api/v1/staff/${f.staffId}`, body: { name: 'renamed' } },
    { method: 'POST', url: '/api/v1/referrals', body: { code: 'ABCD2345', refereeMemberId: f.memberId } },
    { method: 'GET', url: '/api/v1/referrals' },
    { method: 'GET', url: `/api/v1/referrals/${f.referralId}` },
    { method: 'POST', url: `/api/v1/referrals/${f.referralId}/approve`, body: {} },
    { method: 'POST', url: `/api/v1/referrals/${f.referralId}/reject`, body: { reason: 'x' } },
  ];
}

/** Endpoints that only name the key's own merchant: another merchant's key sees its own data there. */
const merchantScoped = new Set(['GET /api/v1/merchant', 'GET /api/v1/overview', 'PATCH /api/v1/merchant', 'POST /api/v1/members', 'GET /api/v1/members', 'GET /api/v1/events', 'GET /api/v1/journey/stages', 'PUT /api/v1/journey/stages', 'GET /api/v1/rules', 'POST /api/v1/rules', 'GET /api/v1/tiers', 'PUT /api/v1/tiers', 'GET /api/v1/rewards', 'POST /api/v1/rewards', 'GET /api/v1/referrals', 'GET /api/v1/ugc', 'GET /api/v1/staff', 'POST /api/v1/staff', 'POST /api/v1/counter/sales']);
// Analytics name no ids: another merchant's key asks about its own (empty) data; analytics-api.test.ts checks it sees none of this one's.
for (const endpoint of endpoints({ memberId: '', earnId: '', reservationId: '', rewardId: '', couponCode: '', referralId: '', shareCode: '', ugcId: '', staffId: '' })) if (endpoint.url.startsWith('/api/v1/analytics')) merchantScoped.add(`${endpoint.method} ${endpoint.url}`);

describeEachStore('security of every endpoint', (env) => {
  it('refuses requests without a key, with an unknown key and with a write key', async () => {
    const m = await env().newMerchant();
    const f = await fixture(m);
    const writeKey = await createApiKey(env().ctx, m.merchantId, { kind: 'write' });
    for (const endpoint of endpoints(f)) {
      const label = `${endpoint.method} ${endpoint.url}`;
      const anonymous = await env().app.inject({ method: endpoint.method, url: endpoint.url, ...(endpoint.body ? { payload: endpoint.body as object } : {}) });
      expect(anonymous.statusCode, label).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const unknown = await merchantClient(env().app, m.merchantId, 'sk_not_a_real_key_at_all_000000').request(endpoint.method, endpoint.url, endpoint.body);
      expect(unknown.statusCode, label).toBe(401);
      const write = await merchantClient(env().app, m.merchantId, writeKey.secret).request(endpoint.method, endpoint.url, endpoint.body);
      expect(write.statusCode, label).toBe(403);
      expect(write.json.error.code).toBe('forbidden');
    }
  });

  it("answers 404 to another merchant's key for every id of this merchant, and writes nothing", async () => {
    const owner = await env().newMerchant();
    const other = await env().newMerchant();
    const f = await fixture(owner);
    const balanceBefore = (await owner.request('GET', `/api/v1/members/${f.memberId}/balance`)).json;
    for (const endpoint of endpoints(f)) {
      const label = `${endpoint.method} ${endpoint.url}`;
      if (merchantScoped.has(label)) continue;
      const response = await other.request(endpoint.method, endpoint.url, endpoint.body);
      expect(response.statusCode, label).toBe(404);
    }
    const listed = await other.request('GET', '/api/v1/members');
    expect(listed.json.members.map((member: { id: string }) => member.id)).not.toContain(f.memberId);
    const found = await other.request('GET', `/api/v1/members?phone=${encodeURIComponent((await owner.request('GET', `/api/v1/members/${f.memberId}`)).json.phone)}`);
    expect(found.json.members).toEqual([]);
    expect((await owner.request('GET', `/api/v1/members/${f.memberId}/balance`)).json).toEqual(balanceBefore);
    const reservation = await owner.request('GET', `/api/v1/points/reservations/${f.reservationId}`);
    expect(reservation.json.status).toBe('held');
  });

  it('answers bad input with a clear 4xx and writes nothing', async () => {
    const m = await env().newMerchant();
    const f = await fixture(m);
    const raw = (payload: string, url = '/api/v1/points/earn', contentType = 'application/json') => env().app.inject({
      method: 'POST', url, payload, headers: { authorization: `Bearer ${m.key}`, 'content-type': contentType },
    });
    const malformed = await raw('{"memberId": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed_json');
    const oversized = await raw(JSON.stringify({ memberId: f.memberId, points: 1, reason: 'x'.repeat(70_000) }));
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json().error.code).toBe('payload_too_large');
    const wrongType = await raw('memberId=1', '/api/v1/points/earn', 'application/x-www-form-urlencoded');
    expect(wrongType.statusCode).toBeGreaterThanOrEqual(400);
    expect(wrongType.statusCode).toBeLessThan(500);
    const cases: [string, unknown][] = [
      ['string points', { memberId: f.memberId, points: '10', reason: 'x' }],
      ['negative points', { memberId: f.memberId, points: -10, reason: 'x' }],
      ['zero points', { memberId: f.memberId, points: 0, reason: 'x' }],
      ['fractional points', { memberId: f.memberId, points: 1.5, reason: 'x' }],
      ['absurd points', { memberId: f.memberId, points: 1e15, reason: 'x' }],
      ['missing reason', { memberId: f.memberId, points: 1 }],
      ['empty reason', { memberId: f.memberId, points: 1, reason: '  ' }],
      ['unknown field', { memberId: f.memberId, points: 1, reason: 'x', bonus: true }],
      ['bad date', { memberId: f.memberId, points: 1, reason: 'x', expiresAt: 'tomorrow' }],
      ['array body', [1, 2]],
      ['null body', null],
    ];
    for (const [label, body] of cases) {
      const response = await raw(JSON.stringify(body));
      expect(response.statusCode, label).toBe(400);
      expect(response.json().error.code, label).toBe('invalid_request');
      expect(response.json().error.message, label).toBeTruthy();
    }
    const unknownMember = await m.request('POST', '/api/v1/points/earn', { memberId: 'mbr_nope', points: 1, reason: 'x' });
    expect(unknownMember.statusCode).toBe(404);
    expect(unknownMember.json.error.code).toBe('member_not_found');
    const badId = await m.request('GET', '/api/v1/members/has%20space');
    expect(badId.statusCode).toBe(400);
    const badLimit = await m.request('GET', '/api/v1/members?limit=100000');
    expect(badLimit.statusCode).toBe(400);
    const badKey = await m.request('POST', '/api/v1/points/earn', { memberId: f.memberId, points: 1, reason: 'x' }, { 'idempotency-key': 'k'.repeat(300) });
    expect(badKey.statusCode).toBe(400);
    const badPolicy = await m.request('PATCH', '/api/v1/merchant', { expiryPolicy: { kind: 'months_after_earn' } });
    expect(badPolicy.statusCode).toBe(400);
    const badZone = await m.request('PATCH', '/api/v1/merchant', { timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    const unknownRoute = await m.request('GET', '/api/v1/nothing-here');
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.json.error.code).toBe('not_found');
    const balance = await m.request('GET', `/api/v1/members/${f.memberId}/balance`);
    expect(balance.json).toMatchObject({ availablePoints: 90, reservedPoints: 10 });
    const history = await m.request('GET', `/api/v1/members/${f.memberId}/transactions`);
    expect(history.json.transactions).toHaveLength(2);
  });
});

describeEachStore('rate limits', (env) => {
  it('answers 429 with Retry-After once a key passes its limit, per key', async () => {
    const m = await env().newMerchant();
    const other = await env().newMerchant();
    const statuses: number[] = [];
    let limited: { headers: Record<string, unknown>; json: any } | undefined;
    for (let i = 0; i < 25; i += 1) {
      const response = await m.request('GET', '/api/v1/merchant');
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(limited?.json.error.code).toBe('rate_limited');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect((await other.request('GET', '/api/v1/merchant')).statusCode).toBe(200);
  });
}, { rateLimitPerMinute: 20 });
