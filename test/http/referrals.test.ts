import { expect, it } from 'vitest';
import { merchantWithWriteKey } from '../support/event-sender';
import { availablePointsOf, eventually } from '../support/polling';
import { describeEachStore } from '../support/stores';

describeEachStore('referrals', (env) => {
  async function setup() {
    env().clock.set(Date.now());
    const shop = await merchantWithWriteKey(env());
    for (const template of ['referral_converted', 'referral_accepted']) expect((await shop.m.request('POST', '/api/v1/rules', { template })).statusCode).toBe(201);
    return shop;
  }
  /** A member made by an identify, so they have a person (and a journey). */
  async function identified(shop: Awaited<ReturnType<typeof setup>>, userId: string, extra: Record<string, unknown> = {}): Promise<string> {
    await shop.send([{ type: 'identify', userId, anonymousId: `device-${userId}`, ...extra }]);
    return (await shop.m.request('GET', `/api/v1/members?externalId=${userId}`)).json.members[0].id;
  }
  const balanceOf = availablePointsOf;

  it("converts at the friend's first order and rewards both once; the referrer reaches Advocacy", async () => {
    const shop = await setup();
    const alice = await identified(shop, 'alice');
    const { code, link } = (await shop.m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
    expect(code).toMatch(/^[2-9A-Z]{8}$/);
    expect(link).toMatch(new RegExp(`/r/[a-z0-9-]+/${code}$`));
    expect((await shop.m.request('GET', `/api/v1/members/${alice}/referral-code`)).json.code).toBe(code);
    const bob = await identified(shop, 'bob');
    const created = await shop.m.request('POST', '/api/v1/referrals', { code: code.toLowerCase(), refereeMemberId: bob, deviceId: 'device-bob' });
    expect(created.statusCode, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ status: 'pending', flags: [], referrerMemberId: alice, refereeMemberId: bob });
    await shop.send([{ type: 'track', event: 'Order Completed', userId: 'bob', properties: { orderId: 'o-1', revenue: 120 } }]);
    await eventually(async () => [await balanceOf(shop.m, alice), await balanceOf(shop.m, bob)], [200, 100]);
    const referral = (await shop.m.request('GET', `/api/v1/referrals/${created.json.id}`)).json;
    expect(referral.status).toBe('converted');
    expect(referral.decisions.map((d: { action: string }) => d.action)).toEqual(['created', 'converted']);
    await shop.send([{ type: 'track', event: 'Order Completed', userId: 'bob', properties: { orderId: 'o-2', revenue: 80 } }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([await balanceOf(shop.m, alice), await balanceOf(shop.m, bob)]).toEqual([200, 100]);
    const events = (await shop.m.request('GET', '/api/v1/events?limit=200')).json.events;
    const alicePerson = events.find((e: { userId: string | null }) => e.userId === 'alice').personId;
    await eventually(async () => (await shop.m.request('GET', `/api/v1/people/${alicePerson}`)).json.stages.map((s: { key: string }) => s.key).includes('advocacy'), true);
  });

  it('converts at sign-up when the merchant says so', async () => {
    const shop = await setup();
    expect((await shop.m.request('PATCH', '/api/v1/merchant', { referralConvertsOn: 'signup' })).json.referralConvertsOn).toBe('signup');
    const alice = await identified(shop, 'alice');
    const bob = await identified(shop, 'bob');
    const { code } = (await shop.m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
    const created = await shop.m.request('POST', '/api/v1/referrals', { code, refereeMemberId: bob });
    expect(created.json.status).toBe('converted');
    await eventually(async () => [await balanceOf(shop.m, alice), await balanceOf(shop.m, bob)], [200, 100]);
  });

  it('refuses self-referral and a second referral of the same friend', async () => {
    const shop = await setup();
    const alice = await identified(shop, 'alice');
    const { code } = (await shop.m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
    const self = await shop.m.request('POST', '/api/v1/referrals', { code, refereeMemberId: alice });
    expect(self.statusCode).toBe(422);
    expect(self.json.error.code).toBe('referral_refused');
    const bob = await identified(shop, 'bob');
    expect((await shop.m.request('POST', '/api/v1/referrals', { code, refereeMemberId: bob })).statusCode).toBe(201);
    const carol = await identified(shop, 'carol');
    const { code: carolCode } = (await shop.m.request('GET', `/api/v1/members/${carol}/referral-code`)).json;
    const again = await shop.m.request('POST', '/api/v1/referrals', { code: carolCode, refereeMemberId: bob });
    expect(again.statusCode).toBe(409);
    expect(again.json.error.code).toBe('referral_exists');
    expect((await shop.m.request('POST', '/api/v1/referrals', { code: 'NOPE2345', refereeMemberId: carol })).statusCode).toBe(404);
  });

  it('flags what looks like one person or not a new customer, for review', async () => {
    const shop = await setup();
    const { m } = shop;
    const alice = await identified(shop, 'alice', { context: { ip: '203.0.113.9' }, traits: { phone: '081-234-5678', email: 'a@example.com' } });
    const { code } = (await m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
    const flagsFor = async (refereeMemberId: string, extra: Record<string, unknown> = {}) => {
      const response = await m.request('POST', '/api/v1/referrals', { code, refereeMemberId, ...extra });
      expect(response.statusCode, JSON.stringify(response.json)).toBe(201);
      return [response.json.status, response.json.flags];
    };
    // Phones, emails and LINE ids are unique per merchant, so those checks are unit-tested (assess-referral.test.ts).
    expect(await flagsFor(await identified(shop, 'dev'), { deviceId: 'device-alice' })).toEqual(['flagged', ['shared_device']]);
    expect(await flagsFor(await identified(shop, 'net'), { ip: '203.0.113.9' })).toEqual(['flagged', ['shared_ip']]);
    const buyer = await identified(shop, 'buyer');
    await shop.send([{ type: 'track', event: 'Order Completed', userId: 'buyer', properties: { orderId: 'early' } }]);
    expect(await flagsFor(buyer)).toEqual(['flagged', ['already_ordered']]);
    const old = await identified(shop, 'old');
    env().clock.advance(2 * 86_400_000);
    expect(await flagsFor(old)).toEqual(['flagged', ['existing_member']]);
  });

  it('holds referrals past the weekly limit, and records every review decision', async () => {
    const shop = await setup();
    const { m } = shop;
    await m.request('PATCH', '/api/v1/merchant', { referralWeeklyLimit: 1 });
    const alice = await identified(shop, 'alice');
    const { code } = (await m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
    const first = (await m.request('POST', '/api/v1/referrals', { code, refereeMemberId: await identified(shop, 'f1') })).json;
    const second = (await m.request('POST', '/api/v1/referrals', { code, refereeMemberId: await identified(shop, 'f2') })).json;
    const third = (await m.request('POST', '/api/v1/referrals', { code, refereeMemberId: await identified(shop, 'f3') })).json;
    expect([first.status, second.status, third.status]).toEqual(['pending', 'flagged', 'flagged']);
    expect(second.flags).toEqual(['weekly_limit']);
    const queue = (await m.request('GET', '/api/v1/referrals?status=flagged')).json.referrals.map((r: { id: string }) => r.id);
    expect(queue.sort()).toEqual([second.id, third.id].sort());

    const approved = await m.request('POST', `/api/v1/referrals/${second.id}/approve`, { reason: 'friends from the same office, checked' });
    expect(approved.json.status).toBe('pending');
    const rejected = await m.request('POST', `/api/v1/referrals/${third.id}/reject`, { reason: 'same household' });
    expect(rejected.json.status).toBe('rejected');
    expect(rejected.json.decisions.map((d: { action: string; reason: string | null }) => [d.action, d.reason])).toEqual([['flagged', 'weekly_limit'], ['rejected', 'same household']]);
    const twice = await m.request('POST', `/api/v1/referrals/${third.id}/approve`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json.error.code).toBe('referral_already_decided');
    await shop.send([{ type: 'track', event: 'Order Completed', userId: 'f2', properties: { orderId: 'f2-1' } }]);
    await eventually(async () => (await m.request('GET', `/api/v1/referrals/${second.id}`)).json.status, 'converted');
    await eventually(async () => balanceOf(m, alice), 200);
  });

  it("leads a referral link to the shop's website with the code", async () => {
    const shop = await setup();
    const alice = await identified(shop, 'alice');
    const { link, code } = (await shop.m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
    const path = new URL(link).pathname;
    expect((await env().app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    await shop.m.request('PATCH', '/api/v1/merchant', { websiteUrl: 'https://cafe.example/join' });
    const followed = await env().app.inject({ method: 'GET', url: path });
    expect(followed.statusCode).toBe(302);
    const target = new URL(followed.headers.location as string);
    expect(target.origin + target.pathname).toBe('https://cafe.example/join');
    expect(Object.fromEntries(target.searchParams)).toMatchObject({ ref: code, utm_medium: 'referral' });
    expect((await env().app.inject({ method: 'GET', url: '/r/no-such-shop/ABCD2345' })).statusCode).toBe(404);
  });
});
