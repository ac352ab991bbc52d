import { expect, it } from 'vitest';
import { merchantWithWriteKey } from '../support/event-sender';
import { describeEachStore } from '../support/stores';

describeEachStore('analytics smoke', (env) => {
  it('answers every endpoint', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    const t = (h: number) => new Date(Date.parse('2026-03-01T03:00:00Z') + h * 3_600_000).toISOString();
    await send([
      { type: 'page', name: 'Home', anonymousId: 'v1', timestamp: t(0), context: { page: { url: 'https://shop.example/?utm_source=facebook&utm_medium=cpc', referrer: 'https://facebook.com/' } } },
      { type: 'track', event: 'Product Viewed', anonymousId: 'v1', timestamp: t(1), properties: { category: 'tea' } },
      { type: 'identify', userId: 'c1', anonymousId: 'v1', timestamp: t(2), traits: { city: 'Bangkok' } },
      { type: 'track', event: 'Order Completed', userId: 'c1', timestamp: t(3), properties: { revenue: 250 } },
    ]);
    const q = 'from=2026-03-01&to=2026-03-31';
    const journey = await m.request('GET', `/api/v1/analytics/journey?${q}&breakdown=channel&trend=week`);
    expect(journey.statusCode, JSON.stringify(journey.json)).toBe(200);
    console.log(JSON.stringify(journey.json));
    const funnel = await m.request('POST', '/api/v1/analytics/funnels', { from: '2026-03-01', to: '2026-03-31', steps: [{ event: '$page' }, { event: 'Product Viewed' }, { event: 'Order Completed' }], breakdown: { source: 'person', trait: 'city' }, trend: 'day', dropped: { atStep: 0 } });
    expect(funnel.statusCode, JSON.stringify(funnel.json)).toBe(200);
    console.log(JSON.stringify(funnel.json));
    for (const url of [`/api/v1/analytics/retention?${q}`, `/api/v1/analytics/flows?${q}&event=$page`, `/api/v1/analytics/attribution?${q}&model=linear`, `/api/v1/analytics/journey/dropouts?${q}&stage=awareness`, '/api/v1/analytics/channels']) {
      const response = await m.request('GET', url);
      expect(response.statusCode, JSON.stringify(response.json)).toBe(200);
      console.log(url, JSON.stringify(response.json));
    }
  });
});
