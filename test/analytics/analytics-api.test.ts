import { expect, it } from 'vitest';
import { evaluateMemberTier } from '../../src/services/tiers/evaluate-member-tier';
import { merchantWithWriteKey } from '../support/event-sender';
import { describeEachStore } from '../support/stores';

describeEachStore('analytics API', (env) => {
  const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs).toISOString();
  const funnel = (steps: string[], extra: Record<string, unknown> = {}) => ({ from: '2026-03-01', to: '2026-03-31', steps: steps.map((event) => ({ event })), ...extra });
  const counts = (json: { steps: { count: number }[] }) => json.steps.map((step) => step.count);

  it('counts a step exactly at the end of the window, not a millisecond after', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await send([
      { type: 'track', event: 'Product Viewed', anonymousId: 'in', timestamp: at('2026-03-05T03:00:00Z') },
      { type: 'track', event: 'Order Completed', anonymousId: 'in', timestamp: at('2026-03-05T03:00:00Z', 3_600_000) },
      { type: 'track', event: 'Product Viewed', anonymousId: 'out', timestamp: at('2026-03-05T03:00:00Z') },
      { type: 'track', event: 'Order Completed', anonymousId: 'out', timestamp: at('2026-03-05T03:00:00Z', 3_600_001) },
    ]);
    const { json } = await m.request('POST', '/api/v1/analytics/funnels', funnel(['Product Viewed', 'Order Completed'], { windowSeconds: 3600 }));
    expect(counts(json)).toEqual([2, 1]);
    expect(json.timeToConvert).toMatchObject({ count: 1, medianMs: 3_600_000 });
  });

  it('orders same-millisecond events as they arrived, and strict funnels allow nothing between', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    const t = at('2026-03-05T03:00:00Z');
    await send([
      { type: 'track', event: 'Product Viewed', anonymousId: 'p1', timestamp: t },
      { type: 'track', event: 'Order Completed', anonymousId: 'p1', timestamp: t },
      { type: 'track', event: 'Order Completed', anonymousId: 'p2', timestamp: t },
      { type: 'track', event: 'Product Viewed', anonymousId: 'p2', timestamp: t },
      { type: 'track', event: 'Product Viewed', anonymousId: 'p3', timestamp: at(t, 1000) },
      { type: 'track', event: 'Added To Cart', anonymousId: 'p3', timestamp: at(t, 2000) },
      { type: 'track', event: 'Order Completed', anonymousId: 'p3', timestamp: at(t, 3000) },
    ]);
    const ordered = await m.request('POST', '/api/v1/analytics/funnels', funnel(['Product Viewed', 'Order Completed']));
    expect(counts(ordered.json)).toEqual([3, 2]);
    const strict = await m.request('POST', '/api/v1/analytics/funnels', funnel(['Product Viewed', 'Order Completed'], { order: 'strict' }));
    expect(counts(strict.json)).toEqual([3, 1]);
    const any = await m.request('POST', '/api/v1/analytics/funnels', funnel(['Order Completed', 'Product Viewed'], { order: 'any' }));
    expect(counts(any.json)).toEqual([3, 3]);
    const excluded = await m.request('POST', '/api/v1/analytics/funnels', funnel(['Product Viewed', 'Order Completed'], { exclusions: [{ event: 'Added To Cart', fromStep: 0, toStep: 1 }] }));
    expect(counts(excluded.json)).toEqual([2, 1]);
  });

  it('counts an anonymous visitor’s events for the member they became', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await send([
      { type: 'page', name: 'Home', anonymousId: 'anon-1', timestamp: at('2026-03-05T03:00:00Z'), context: { page: { url: 'https://shop.example/?utm_source=newsletter&utm_medium=email' } } },
      { type: 'identify', userId: 'cust-1', anonymousId: 'anon-1', timestamp: at('2026-03-05T03:05:00Z'), traits: { city: 'Chiang Mai' } },
      { type: 'track', event: 'Order Completed', userId: 'cust-1', timestamp: at('2026-03-05T03:10:00Z'), properties: { revenue: 420 } },
    ]);
    const { json } = await m.request('POST', '/api/v1/analytics/funnels', funnel(['$page', 'Order Completed'], { breakdown: { source: 'person', trait: 'city' } }));
    expect(counts(json)).toEqual([1, 1]);
    expect(json.breakdown).toEqual([{ value: 'Chiang Mai', entered: 1, reached: [1, 1] }]);
    const journey = await m.request('GET', '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31&breakdown=channel');
    expect(journey.json.entered).toBe(1);
    expect(journey.json.breakdown).toEqual([{ value: 'Email', entered: 1, reached: [1, 0, 1, 0, 0, 0] }]);
    const attribution = await m.request('GET', '/api/v1/analytics/attribution?from=2026-03-01&to=2026-03-31');
    expect(attribution.json).toMatchObject({ conversions: 1, revenueSatang: 42_000, channels: [{ channel: 'Email', conversions: 1, revenueSatang: 42_000 }] });
  });

  it("cuts days at the merchant's midnight, and an empty range answers zeros", async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await send([
      { type: 'track', event: 'Product Viewed', anonymousId: 'late-night', timestamp: '2026-03-01T16:59:59.999Z' },
      { type: 'track', event: 'Product Viewed', anonymousId: 'after-midnight', timestamp: '2026-03-01T17:00:00.000Z' },
    ]);
    const day = async (date: string) => (await m.request('GET', `/api/v1/analytics/journey?from=${date}&to=${date}`)).json.entered;
    expect([await day('2026-03-01'), await day('2026-03-02'), await day('2026-02-28')]).toEqual([1, 1, 0]);
    const empty = await m.request('POST', '/api/v1/analytics/funnels', { ...funnel(['Product Viewed', 'Order Completed']), from: '2025-01-01', to: '2025-01-02', trend: 'day' });
    expect(empty.statusCode).toBe(200);
    expect(counts(empty.json)).toEqual([0, 0]);
    expect(empty.json.timeToConvert.medianMs).toBeNull();
    expect(empty.json.trend.map((row: { entered: number }) => row.entered)).toEqual([0, 0]);
  });

  it('sees events stored after the first query, and lists dropouts page by page', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await send([1, 2, 3].map((n) => ({ type: 'page', anonymousId: `v${n}`, timestamp: at('2026-03-05T03:00:00Z', n) })));
    const q = 'from=2026-03-01&to=2026-03-31';
    expect((await m.request('GET', `/api/v1/analytics/journey?${q}`)).json.entered).toBe(3);
    await send([{ type: 'page', anonymousId: 'v4', timestamp: at('2026-03-06T03:00:00Z') }, { type: 'track', event: 'Signed Up', anonymousId: 'v1', timestamp: at('2026-03-06T03:00:00Z') }]);
    const journey = (await m.request('GET', `/api/v1/analytics/journey?${q}`)).json;
    expect(journey.entered).toBe(4);
    expect(journey.stages[1]).toMatchObject({ key: 'consideration', reached: 1 });
    const first = (await m.request('GET', `/api/v1/analytics/journey/dropouts?${q}&stage=awareness&limit=2`)).json;
    expect(first.people).toHaveLength(2);
    const second = (await m.request('GET', `/api/v1/analytics/journey/dropouts?${q}&stage=awareness&limit=2&cursor=${first.nextCursor}`)).json;
    expect(second.people).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it("applies the merchant's own channel rules before the defaults", async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await send([{ type: 'page', anonymousId: 'x', timestamp: at('2026-03-05T03:00:00Z'), context: { campaign: { source: 'shopee', medium: 'marketplace' } } }]);
    const byChannel = async () => (await m.request('GET', '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31&breakdown=channel')).json.breakdown[0].value;
    expect(await byChannel()).toBe('Referral');
    const saved = await m.request('PUT', '/api/v1/analytics/channels', { rules: [{ channel: 'Marketplace', source: '^(shopee|lazada)$' }] });
    expect(saved.statusCode).toBe(200);
    expect(await byChannel()).toBe('Marketplace');
    expect((await m.request('GET', '/api/v1/analytics/channels')).json.rules).toEqual([{ channel: 'Marketplace', source: '^(shopee|lazada)$' }]);
  });

  it('breaks the journey down by tier', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await send([
      { type: 'page', anonymousId: 'vip-visit', timestamp: at('2026-03-05T03:00:00Z') },
      { type: 'identify', userId: 'vip', anonymousId: 'vip-visit', timestamp: at('2026-03-05T03:01:00Z') },
      { type: 'page', anonymousId: 'walk-in', timestamp: at('2026-03-05T04:00:00Z') },
    ]);
    const tiers = [{ key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' }, { key: 'gold', name: 'Gold', threshold: 100, multiplierPercent: 150, benefits: '' }];
    expect((await m.request('PUT', '/api/v1/tiers', { basis: 'points_earned', windowMonths: 12, graceDays: 30, tiers })).statusCode).toBe(200);
    const dropouts = (await m.request('GET', '/api/v1/analytics/journey/dropouts?from=2026-03-01&to=2026-03-31&stage=awareness')).json.people;
    const memberId = dropouts.find((person: { memberId: string | null }) => person.memberId).memberId;
    expect((await m.request('POST', '/api/v1/points/earn', { memberId, points: 150, reason: 'welcome' })).statusCode).toBe(201);
    await evaluateMemberTier(env().ctx, m.merchantId, memberId, { periodic: false });
    const { json } = await m.request('GET', '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31&breakdown=tier');
    expect(json.breakdown.map((group: { value: string; entered: number }) => [group.value, group.entered]).sort()).toEqual([['(none)', 1], ['gold', 1]]);
  });

  it('refuses bad questions with a clear 400', async () => {
    const { m } = await merchantWithWriteKey(env());
    const cases: [string, string, unknown?][] = [
      ['POST', '/api/v1/analytics/funnels', funnel(['Order Completed'])],
      ['POST', '/api/v1/analytics/funnels', funnel(['A', 'B'], { order: 'any', exclusions: [{ event: 'C', fromStep: 0, toStep: 1 }] })],
      ['POST', '/api/v1/analytics/funnels', funnel(['A', 'B'], { exclusions: [{ event: 'C', fromStep: 1, toStep: 1 }] })],
      ['POST', '/api/v1/analytics/funnels', funnel(['A', 'B'], { windowSeconds: 91 * 86_400 })],
      ['POST', '/api/v1/analytics/funnels', { ...funnel(['A', 'B']), from: '2026-02-30' }],
      ['GET', '/api/v1/analytics/journey?from=2026-03-31&to=2026-03-01'],
      ['GET', '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31&breakdown=colour'],
      ['GET', '/api/v1/analytics/journey/dropouts?from=2026-03-01&to=2026-03-31&stage=nope'],
      ['PUT', '/api/v1/analytics/channels', { rules: [{ channel: 'Bad', source: '(' }] }],
      ['PUT', '/api/v1/analytics/channels', { rules: [{ channel: 'Empty' }] }],
    ];
    for (const [method, url, body] of cases) {
      const response = await m.request(method as 'GET', url, body);
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(response.json.error.message.length).toBeGreaterThan(5);
    }
  });

  it("never shows one merchant's people to another", async () => {
    const shop = await merchantWithWriteKey(env());
    const other = await merchantWithWriteKey(env());
    await shop.send([{ type: 'track', event: 'Order Completed', anonymousId: 'secret', timestamp: at('2026-03-05T03:00:00Z') }]);
    expect((await other.m.request('GET', '/api/v1/analytics/journey?from=2026-03-01&to=2026-03-31')).json.entered).toBe(0);
    expect(counts((await other.m.request('POST', '/api/v1/analytics/funnels', funnel(['Order Completed', 'Order Completed']))).json)).toEqual([0, 0]);
    expect((await other.m.request('GET', '/api/v1/analytics/attribution?from=2026-03-01&to=2026-03-31')).json.conversions).toBe(0);
  });
});
