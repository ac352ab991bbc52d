import { expect, it } from 'vitest';
import { merchantWithWriteKey } from '../support/event-sender';
import { availablePointsOf, eventually } from '../support/polling';
import { describeEachStore } from '../support/stores';

describeEachStore('share links', (env) => {
  async function setup() {
    env().clock.set(Date.now());
    const shop = await merchantWithWriteKey(env());
    expect((await shop.m.request('PATCH', '/api/v1/merchant', { websiteUrl: 'https://www.cafe.example/' })).statusCode).toBe(200);
    for (const template of ['verified_share', 'share_converted']) expect((await shop.m.request('POST', '/api/v1/rules', { template })).statusCode).toBe(201);
    await shop.send([{ type: 'identify', userId: 'alice', anonymousId: 'device-alice' }]);
    const alice = (await shop.m.request('GET', '/api/v1/members?externalId=alice')).json.members[0].id as string;
    const link = await shop.m.request('POST', '/api/v1/share-links', { url: 'https://cafe.example/menu/latte?size=l', memberId: alice, campaign: 'latte-love' });
    expect(link.statusCode, JSON.stringify(link.json)).toBe(201);
    return { ...shop, alice, code: link.json.code as string, path: link.json.path as string };
  }
  const open = (path: string, visitor?: string) => env().app.inject({ method: 'GET', url: path, headers: visitor ? { cookie: `other=1; sentang_aid=${visitor}` } : {} });
  const balanceOf = availablePointsOf;

  it('redirects with UTM values and the code, and sets a visitor cookie', async () => {
    const { path, code } = await setup();
    const response = await open(path);
    expect(response.statusCode).toBe(302);
    const target = new URL(response.headers.location as string);
    expect(target.origin + target.pathname).toBe('https://cafe.example/menu/latte');
    expect(Object.fromEntries(target.searchParams)).toEqual({ size: 'l', utm_source: 'sentang', utm_medium: 'share', utm_campaign: 'latte-love', sref: code });
    expect(response.headers['set-cookie']).toMatch(/^sentang_aid=sv_[0-9a-f]{32}; Path=\/; Max-Age=31536000; SameSite=Lax/);
    expect((await open('/s/NOSUCHCODE')).statusCode).toBe(404);
  });

  it("pays the sharer for other people's first clicks only, within the rule's daily cap", async () => {
    const { m, alice, path, code } = await setup();
    await open(path, 'visitor-one');
    await eventually(() => balanceOf(m, alice), 5);
    await open(path, 'visitor-one'); // the same visitor again
    await open(path, 'device-alice'); // the sharer's own device
    for (let visitor = 2; visitor <= 7; visitor += 1) await open(path, `visitor-${visitor}`);
    await eventually(() => balanceOf(m, alice), 25); // 5 points, at most 5 times a day
    const { stats } = (await m.request('GET', `/api/v1/share-links/${code}`)).json;
    expect(stats).toMatchObject({ clicks: 9, uniqueVisitors: 8, countedClicks: 7 });
    // Each counted click is a Share Link Clicked event of the sharer; the clicker gets a Share Link Opened.
    const countEvents = async () => {
      const events = (await m.request('GET', '/api/v1/events?limit=200')).json.events as { event: string | null; userId: string | null }[];
      return [events.filter((e) => e.event === 'Share Link Clicked' && e.userId === 'alice').length, events.filter((e) => e.event === 'Share Link Opened').length];
    };
    await eventually(countEvents, [7, 9]);
    expect(await balanceOf(m, alice)).toBe(25);
  });

  it('credits the sharer with the sign-up and the order that came through the link', async () => {
    const { m, send, alice, path, code } = await setup();
    const cookie = /sentang_aid=([^;]+)/.exec((await open(path)).headers['set-cookie'] as string)?.[1] as string;
    await eventually(() => balanceOf(m, alice), 5);
    await send([
      { type: 'identify', userId: 'bob', anonymousId: cookie },
      { type: 'track', event: 'Signed Up', userId: 'bob' },
      { type: 'track', event: 'Order Completed', userId: 'bob', properties: { orderId: 'b-1', revenue: 300 } },
    ]);
    await eventually(() => balanceOf(m, alice), 105);
    const own = await m.request('POST', '/api/v1/share-links', { url: 'https://cafe.example/', memberId: alice });
    await open(own.json.path, 'device-alice');
    await send([{ type: 'track', event: 'Order Completed', userId: 'alice', properties: { orderId: 'a-1', revenue: 100 } }]);
    const shared = (await m.request('GET', `/api/v1/members/${alice}/share-links`)).json;
    expect(shared.links.find((link: { code: string }) => link.code === code).stats).toEqual({ clicks: 1, uniqueVisitors: 1, countedClicks: 1, signups: 1, orders: 1, revenueSatang: 30_000 });
    expect(shared.totals).toMatchObject({ clicks: 2, countedClicks: 1, signups: 1, orders: 1, revenueSatang: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await balanceOf(m, alice)).toBe(105);
    // Bob arrived through the Share Link channel (and so, by her first touch, did Alice, opening her own link).
    const journey = (await m.request('GET', `/api/v1/analytics/journey?from=2025-01-01&to=2030-12-31&breakdown=channel`)).json;
    expect(journey.breakdown.find((group: { value: string }) => group.value === 'Share Link')?.entered).toBe(2);
  });

  it('only links to pages of the merchant website', async () => {
    const { m } = await setup();
    for (const url of ['https://evil.example/cafe.example', 'https://cafe.example.evil.example/', 'javascript:alert(1)']) {
      expect((await m.request('POST', '/api/v1/share-links', { url })).statusCode, url).toBe(400);
    }
    expect((await m.request('POST', '/api/v1/share-links', { url: 'https://shop.cafe.example/p/1' })).statusCode).toBe(201);
    const fresh = await env().newMerchant();
    const refused = await fresh.request('POST', '/api/v1/share-links', { url: 'https://cafe.example/' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json.error.message).toMatch(/websiteUrl/);
  });
});
