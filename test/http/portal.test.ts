// The member portal's API: sign-in links (once, briefly), the member's own card, rewards and counter
// codes, transfers by phone, consent, content — and that a member only ever reaches their own data.
import { expect, it } from 'vitest';
import { expectLedgerConsistent } from '../support/ledger-assertions';
import { availablePointsOf } from '../support/polling';
import { describeEachStore, type TestEnv, type TestMerchant } from '../support/stores';
import { tinyPng } from '../support/media-fixtures';


interface PortalMember {
  memberId: string;
  request(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, options?: { csrf?: string | null; contentType?: string }): Promise<{ statusCode: number; json: any; headers: Record<string, unknown> }>;
}

async function signIn(env: TestEnv, m: TestMerchant, memberId: string): Promise<PortalMember> {
  const link = await m.request('POST', `/api/v1/members/${memberId}/sign-in-links`, {});
  expect(link.statusCode, JSON.stringify(link.json)).toBe(201);
  const session = await env.app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: link.json.token } });
  expect(session.statusCode, session.body).toBe(200);
  const cookie = String(session.headers['set-cookie']).split(';')[0] as string;
  const csrfToken = session.json().csrfToken as string;
  return {
    memberId,
    async request(method, url, body, options = {}) {
      const raw = Buffer.isBuffer(body);
      const csrf = options.csrf === undefined ? csrfToken : options.csrf;
      const response = await env.app.inject({
        method, url,
        headers: { cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}), ...(body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}) },
        ...(body !== undefined ? { payload: raw ? body : JSON.stringify(body) } : {}),
      });
      return { statusCode: response.statusCode, json: response.body ? JSON.parse(response.body) : null, headers: response.headers };
    },
  };
}

describeEachStore('member portal API', (env) => {
  async function memberWith(m: TestMerchant, points: number, fields: Record<string, unknown> = {}): Promise<string> {
    const created = await m.request('POST', '/api/v1/members', fields);
    expect(created.statusCode, JSON.stringify(created.json)).toBe(201);
    const memberId = created.json.id as string;
    if (points > 0) expect((await m.request('POST', '/api/v1/points/earn', { memberId, points, reason: 'opening' })).statusCode).toBe(201);
    return memberId;
  }

  it('signs in once with a sign-in link; an expired, reused or unknown link and a missing session are refused', async () => {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    const memberId = await memberWith(m, 0, { name: 'Malee' });
    const link = await m.request('POST', `/api/v1/members/${memberId}/sign-in-links`, { validForSeconds: 120 });
    expect(link.json.url).toMatch(/\/portal\?token=msl_/);
    const first = await env().app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: link.json.token } });
    expect(first.statusCode).toBe(200);
    expect(String(first.headers['set-cookie'])).toMatch(/sentang_member=.+; Path=\/portal; HttpOnly; SameSite=Lax/);
    const reused = await env().app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: link.json.token } });
    expect(reused.statusCode).toBe(401);

    const late = await m.request('POST', `/api/v1/members/${memberId}/sign-in-links`, {});
    env().clock.advance(16 * 60_000);
    expect((await env().app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: late.json.token } })).statusCode).toBe(401);
    expect((await env().app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: 'msl_not-a-real-token' } })).statusCode).toBe(401);
    expect((await env().app.inject({ method: 'GET', url: '/portal/api/me' })).statusCode).toBe(401);
    expect((await env().app.inject({ method: 'POST', url: '/portal/api/demo-session' })).statusCode).toBe(404);
    expect((await env().app.inject({ method: 'GET', url: '/portal/api/me', headers: { cookie: 'sentang_member=forged' } })).statusCode).toBe(401);
    expect((await m.request('POST', `/api/v1/members/${memberId}/sign-in-links`, { validForSeconds: 10 })).statusCode).toBe(400);

    // Another merchant's key cannot make a link for this member.
    const other = await env().newMerchant();
    expect((await other.request('POST', `/api/v1/members/${memberId}/sign-in-links`, {})).statusCode).toBe(404);
  });

  it('shows the member card: balance, pending and expiring points, history, QR payload and referral link; refuses changes without the CSRF token', async () => {
    env().clock.set(Date.parse('2026-03-01T03:00:00Z'));
    const m = await env().newMerchant();
    const memberId = await memberWith(m, 120, { name: 'Somchai Jaidee', phone: '081-234-5678' });
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 30, reason: 'soon', expiresAt: '2026-03-20T17:00:00Z' });
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 15, reason: 'later', availableAt: '2026-03-10T00:00:00Z' });
    const member = await signIn(env(), m, memberId);
    const me = await member.request('GET', '/portal/api/me');
    expect(me.statusCode, JSON.stringify(me.json)).toBe(200);
    expect(me.json.member).toMatchObject({ id: memberId, name: 'Somchai Jaidee', phone: '+66812345678' });
    expect(me.json.balance).toMatchObject({ availablePoints: 150, pendingPoints: 15, expiringWithin30DaysPoints: 30 });
    expect(me.json.balance.expiring[0]).toMatchObject({ points: 30, lastUsableDate: '2026-03-20' });
    expect(me.json.cardCode).toBe(`SENTANG-MEMBER:${memberId}`);
    expect(me.json.referral.link).toMatch(/\/r\/[a-z0-9-]+\/[2-9A-Z]{8}$/);
    expect(me.json.merchant.timeZone).toBe('Asia/Bangkok');
    const history = await member.request('GET', '/portal/api/history');
    expect(history.json.transactions.map((line: { walletChange: number }) => line.walletChange)).toEqual([15, 30, 120]);

    expect((await member.request('PUT', '/portal/api/consent', { marketing: true }, { csrf: null })).statusCode).toBe(403);
    const consent = await member.request('PUT', '/portal/api/consent', { marketing: true });
    expect(consent.json.marketing).toBe(true);
    expect((await member.request('GET', '/portal/api/me')).json.consent).toMatchObject({ marketing: true, updatedAt: consent.json.updatedAt });
    expect((await member.request('PUT', '/portal/api/consent', { marketing: 'yes' })).statusCode).toBe(400);
  });

  it('redeems a reward once per request id, shows a counter code for the own coupon only, and the cashier consumes it', async () => {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    const reward = await m.request('POST', '/api/v1/rewards', { nameTh: 'ลาเต้ฟรี', nameEn: 'Free latte', kind: 'free_item', value: 6500, costPoints: 100 });
    await m.request('POST', '/api/v1/rewards', { nameTh: 'ของขวัญสมัคร', nameEn: 'Welcome gift', kind: 'gift', costPoints: 0, issueOnSignup: true });
    const memberId = await memberWith(m, 250);
    const member = await signIn(env(), m, memberId);
    const catalogue = await member.request('GET', '/portal/api/rewards');
    expect(catalogue.json.rewards.map((r: { nameEn: string }) => r.nameEn)).toEqual(['Free latte']);

    const redeemed = await member.request('POST', `/portal/api/rewards/${reward.json.id}/redeem`, { requestId: 'tap-00000001' });
    expect(redeemed.statusCode, JSON.stringify(redeemed.json)).toBe(201);
    const again = await member.request('POST', `/portal/api/rewards/${reward.json.id}/redeem`, { requestId: 'tap-00000001' });
    expect(again.json.code).toBe(redeemed.json.code);
    expect(await availablePointsOf(m, memberId)).toBe(150);
    // The sign-up gift is a coupon of its own, not in the catalogue.
    expect((await member.request('GET', '/portal/api/coupons')).json.coupons.map((c: { code: string }) => c.code)).toContain(redeemed.json.code);

    const stranger = await signIn(env(), m, await memberWith(m, 0));
    expect((await stranger.request('POST', `/portal/api/coupons/${redeemed.json.code}/counter-code`)).statusCode).toBe(404);
    const shown = await member.request('POST', `/portal/api/coupons/${redeemed.json.code}/counter-code`);
    expect(shown.json.counterCode).toMatch(/^\d{6}$/);
    const consumed = await m.request('POST', '/api/v1/counter/redeem', { counterCode: shown.json.counterCode });
    expect(consumed.json).toMatchObject({ status: 'consumed', code: redeemed.json.code });
    expect((await member.request('GET', '/portal/api/coupons')).json.coupons.find((c: { code: string }) => c.code === redeemed.json.code).status).toBe('consumed');
  });

  it("sends points by phone within the shop's limits, once per request id, never to oneself or to an unknown number", async () => {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    expect((await m.request('PATCH', '/api/v1/merchant', { transferLimits: { minPoints: 10, maxPoints: 100 } })).statusCode).toBe(200);
    const senderId = await memberWith(m, 300, { phone: '0811111111' });
    const friendId = await memberWith(m, 0, { phone: '0822222222', name: 'Nok Srisuk' });
    const sender = await signIn(env(), m, senderId);

    const preview = await sender.request('GET', '/portal/api/transfer-recipient?phone=082-222-2222');
    expect(preview.json).toEqual({ phone: '+66822222222', phoneDisplay: '082 222 2222', name: 'Nok S.' });
    expect((await sender.request('GET', '/portal/api/transfer-recipient?phone=0833333333')).statusCode).toBe(404);
    expect((await sender.request('GET', '/portal/api/transfer-recipient?phone=0811111111')).statusCode).toBe(400);
    expect((await sender.request('GET', '/portal/api/transfer-recipient?phone=12')).statusCode).toBe(400);

    const sent = await sender.request('POST', '/portal/api/transfers', { phone: '0822222222', points: 80, requestId: 'send-0000001' });
    expect(sent.statusCode, JSON.stringify(sent.json)).toBe(201);
    expect(sent.json.balance.availablePoints).toBe(220);
    const replay = await sender.request('POST', '/portal/api/transfers', { phone: '0822222222', points: 80, requestId: 'send-0000001' });
    expect(replay.json.transaction.id).toBe(sent.json.transaction.id);
    const tooMuch = await sender.request('POST', '/portal/api/transfers', { phone: '0822222222', points: 150, requestId: 'send-0000002' });
    expect(tooMuch.statusCode).toBe(422);
    expect(await availablePointsOf(m, senderId)).toBe(220);
    expect(await availablePointsOf(m, friendId)).toBe(80);
    // Looking up who numbers belong to is limited, so the portal cannot be used to sift a phone book.
    const lookups: number[] = [];
    for (let at = 0; at < 30; at += 1) lookups.push((await sender.request('GET', `/portal/api/transfer-recipient?phone=08500000${String(at).padStart(2, '0')}`)).statusCode);
    expect(lookups.filter((status) => status === 429).length).toBeGreaterThan(0);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it("uploads and shares a photo and a review, lists only the member's own, and withdraws consent only on its own", async () => {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    const member = await signIn(env(), m, await memberWith(m, 0));
    const upload = await member.request('POST', '/portal/api/ugc/uploads', tinyPng, { contentType: 'image/png' });
    expect(upload.statusCode, JSON.stringify(upload.json)).toBe(201);
    const photo = await member.request('POST', '/portal/api/ugc', { kind: 'photo', uploadId: upload.json.uploadId, text: 'อร่อยมาก', consent: true });
    expect(photo.statusCode, JSON.stringify(photo.json)).toBe(201);
    expect(photo.json).toMatchObject({ status: 'pending', memberId: member.memberId });
    expect((await member.request('POST', '/portal/api/ugc', { kind: 'review', rating: 5, consent: false })).statusCode).toBe(201);
    expect((await member.request('POST', '/portal/api/ugc', { kind: 'review', consent: true })).statusCode).toBe(400);
    expect((await member.request('POST', '/portal/api/ugc/uploads', Buffer.from('not an image'), { contentType: 'image/png' })).statusCode).toBe(415);

    const other = await signIn(env(), m, await memberWith(m, 0));
    expect((await other.request('GET', '/portal/api/ugc')).json.items).toHaveLength(0);
    expect((await other.request('POST', `/portal/api/ugc/${photo.json.id}/withdraw-consent`)).statusCode).toBe(404);
    expect((await member.request('GET', '/portal/api/ugc')).json.items).toHaveLength(2);
    expect((await member.request('POST', `/portal/api/ugc/${photo.json.id}/withdraw-consent`)).json.consent).toBe(false);
    const uploads: number[] = [];
    for (let at = 0; at < 20; at += 1) uploads.push((await member.request('POST', '/portal/api/ugc/uploads', tinyPng, { contentType: 'image/png' })).statusCode);
    expect(uploads.filter((status) => status === 429).length).toBeGreaterThan(0); // 22 in all, 20 allowed an hour
    expect((await m.request('GET', '/api/v1/ugc?status=pending')).json.items).toHaveLength(2);
    // Approved, it is an event of the member (Advocacy), though they never came through the website.
    expect((await m.request('POST', `/api/v1/ugc/${photo.json.id}/approve`)).statusCode).toBe(200);
    const timeline = (await m.request('GET', `/api/v1/members/${member.memberId}/timeline`)).json;
    expect(timeline.items.some((item: { kind: string; event?: string }) => item.kind === 'event' && item.event === 'UGC Approved')).toBe(true);
  });

  it('limits sign-in attempts to 20 a minute per address', async () => {
    const attempt = () => env().app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: 'msl_guessing-a-token' }, remoteAddress: '10.9.9.9' });
    const statuses: number[] = [];
    for (let at = 0; at < 21; at += 1) statuses.push((await attempt()).statusCode);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const other = await env().app.inject({ method: 'POST', url: '/portal/api/session', payload: { token: 'msl_guessing-a-token' }, remoteAddress: '10.9.9.10' });
    expect(other.statusCode).toBe(401);
  });

  it('the cashier finds a member by the QR code of their card', async () => {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    expect((await m.request('POST', '/api/v1/rules', { template: 'purchase' })).statusCode).toBe(201);
    const memberId = await memberWith(m, 0);
    const sale = await m.request('POST', '/api/v1/counter/sales', { memberCard: `SENTANG-MEMBER:${memberId}`, amountSatang: 25_000, saleId: 'sale-qr-0001' });
    expect(sale.json, JSON.stringify(sale.json)).toMatchObject({ memberId, newMember: false, pointsAwarded: 10 });
    // The sale is an event of the member too (journey and analytics), and its rules did not pay twice.
    const again = await m.request('POST', '/api/v1/counter/sales', { memberCard: `SENTANG-MEMBER:${memberId}`, amountSatang: 25_000, saleId: 'sale-qr-0001' });
    expect(again.json.pointsAwarded).toBe(10);
    const timeline = (await m.request('GET', `/api/v1/members/${memberId}/timeline`)).json;
    expect(timeline.items.filter((item: { kind: string; event?: string }) => item.kind === 'event' && item.event === 'Order Completed')).toHaveLength(1);
    const person = (await m.request('GET', `/api/v1/people/${timeline.personId}`)).json;
    expect(person.stages.map((stage: { key: string }) => stage.key)).toContain('purchase');
    expect(await availablePointsOf(m, memberId)).toBe(10);
    const other = await env().newMerchant();
    expect((await other.request('POST', '/api/v1/counter/sales', { memberCard: `SENTANG-MEMBER:${memberId}`, amountSatang: 25_000, saleId: 'sale-qr-0002' })).statusCode).toBe(404);
    expect((await m.request('POST', '/api/v1/counter/sales', { amountSatang: 25_000, saleId: 'sale-qr-0003' })).statusCode).toBe(400);
  });
});

describeEachStore('member portal demo sign-in', (env) => {
  it('signs in as the demo member of the demo merchant, made once', async () => {
    const { createMerchant } = await import('../../src/services/merchants/create-merchant');
    const demoShop = await createMerchant(env().ctx, { name: 'Demo Café', slug: 'demo-portal' });
    // A real customer already holds the demo member's phone number: the demo member goes without one.
    const { createMember } = await import('../../src/services/members/create-member');
    await createMember(env().ctx, demoShop.id, { phone: '089-999-0000', name: 'Real customer' });
    const first = await env().app.inject({ method: 'POST', url: '/portal/api/demo-session' });
    expect(first.statusCode, first.body).toBe(200);
    const second = await env().app.inject({ method: 'POST', url: '/portal/api/demo-session' });
    expect(second.json().memberId).toBe(first.json().memberId);
    const cookie = String(second.headers['set-cookie']).split(';')[0] as string;
    const me = await env().app.inject({ method: 'GET', url: '/portal/api/me', headers: { cookie } });
    expect(me.json().member).toMatchObject({ phone: null });
    expect(me.json().member.name).toContain('demo');
  });
}, { demoMerchantSlug: 'demo-portal' });
