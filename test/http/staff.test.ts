import { expect, it } from 'vitest';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeEachStore } from '../support/stores';

describeEachStore('staff sign-in, sessions and roles', (env) => {
  const password = 'correct horse battery';
  async function setup() {
    const m = await env().newMerchant();
    const email = `owner-${m.merchantId}@cafe.example`;
    await createStaff(env().ctx, m.merchantId, { email, name: 'Ploy', role: 'owner', password });
    return { m, email };
  }
  async function signIn(email: string, secret = password, address = '10.0.0.1') {
    const response = await env().app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: secret }, remoteAddress: address });
    const cookie = /sentang_session=([^;]+)/.exec(String(response.headers['set-cookie'] ?? ''))?.[1];
    return { response, cookie, csrf: response.statusCode === 200 ? (response.json().csrfToken as string) : '' };
  }
  function as(session: { cookie?: string | undefined; csrf: string }) {
    return async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown, csrf = true) => {
      const response = await env().app.inject({
        method, url, headers: { cookie: `sentang_session=${session.cookie}`, ...(csrf ? { 'x-csrf-token': session.csrf } : {}) },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      return { statusCode: response.statusCode, json: response.body ? response.json() : null };
    };
  }

  it('signs in with an HttpOnly cookie, asks for the CSRF token on changes, and signs out', async () => {
    const { email } = await setup();
    const wrong = await signIn(email, 'not the password');
    const unknown = await signIn('nobody@cafe.example');
    expect([wrong.response.statusCode, unknown.response.statusCode]).toEqual([401, 401]);
    expect(wrong.response.json().error.message).toBe(unknown.response.json().error.message);
    const session = await signIn(email.toUpperCase());
    expect(session.response.statusCode).toBe(200);
    expect(session.response.headers['set-cookie']).toMatch(/HttpOnly; SameSite=Strict/);
    expect(session.response.json().staff).toMatchObject({ email, role: 'owner' });
    const call = as(session);
    expect((await call('GET', '/api/v1/merchant')).statusCode).toBe(200);
    const noCsrf = await call('POST', '/api/v1/members', {}, false);
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json.error.message).toMatch(/CSRF/);
    expect((await call('POST', '/api/v1/members', {})).statusCode).toBe(201);
    expect((await env().app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: `sentang_session=${session.cookie}` } })).json().csrfToken).toBe(session.csrf);
    const out = await env().app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: `sentang_session=${session.cookie}` } });
    expect(out.statusCode).toBe(204);
    expect((await call('GET', '/api/v1/merchant')).statusCode).toBe(401);
    const stored = await env().store.db.selectFrom('staff_users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.password_hash).not.toContain(password);
  });

  it('lets each role do its part: cashiers the counter within their limits, managers all but staff', async () => {
    const { m, email } = await setup();
    const owner = as(await signIn(email));
    const addStaff = (role: string, extra = {}) => owner('POST', '/api/v1/staff', { email: `${role}-${m.merchantId}@cafe.example`, name: role, role, password, ...extra });
    expect((await addStaff('manager')).statusCode).toBe(201);
    expect((await addStaff('cashier', { maxPointsPerTransaction: 100, maxPointsPerDay: 250 })).statusCode).toBe(201);
    const manager = as(await signIn(`manager-${m.merchantId}@cafe.example`));
    const cashier = as(await signIn(`cashier-${m.merchantId}@cafe.example`));

    expect((await manager('GET', '/api/v1/rules')).statusCode).toBe(200);
    expect((await manager('GET', '/api/v1/staff')).statusCode).toBe(403);
    expect((await cashier('GET', '/api/v1/rules')).statusCode).toBe(403);
    expect((await cashier('POST', '/api/v1/points/adjust', { memberId: 'x', points: 1, reason: 'x' })).statusCode).toBe(403);

    const memberId = (await cashier('POST', '/api/v1/members', { phone: '0812345670' })).json.id;
    expect((await cashier('GET', `/api/v1/members?phone=0812345670`)).json.members[0].id).toBe(memberId);
    const earn = (points: number) => cashier('POST', '/api/v1/points/earn', { memberId, points, reason: 'coffee' });
    const tooMuch = await earn(150);
    expect(tooMuch.statusCode).toBe(403);
    expect(tooMuch.json.error.message).toMatch(/at most 100 points at once/);
    expect((await earn(100)).statusCode).toBe(201);
    expect((await earn(100)).statusCode).toBe(201);
    const overDay = await earn(100);
    expect(overDay.statusCode).toBe(403);
    expect(overDay.json.error.message).toMatch(/250 points a day \(200 given today\)/);
    expect((await earn(50)).statusCode).toBe(201);
    expect((await manager('POST', '/api/v1/points/earn', { memberId, points: 5000, reason: 'event' })).statusCode).toBe(201);
    expect((await m.request('GET', `/api/v1/members/${memberId}/balance`)).json.availablePoints).toBe(5250);
  });

  it('slows down password guessing and ends the sessions of a disabled account', async () => {
    const { m, email } = await setup();
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await signIn(email, 'guess', '10.9.9.9')).response.statusCode).toBe(401);
    const locked = await signIn(email, password, '10.9.9.9');
    expect(locked.response.statusCode).toBe(429);
    expect((await signIn(email, password, '10.1.1.1')).response.statusCode).toBe(200);
    const owner = as(await signIn(email));
    const cashier = (await owner('POST', '/api/v1/staff', { email: `c-${m.merchantId}@cafe.example`, name: 'C', role: 'cashier', password })).json;
    const cashierSession = as(await signIn(`c-${m.merchantId}@cafe.example`));
    expect((await cashierSession('GET', '/api/v1/merchant')).statusCode).toBe(200);
    expect((await owner('PATCH', `/api/v1/staff/${cashier.id}`, { disabled: true })).json.disabled).toBe(true);
    expect((await cashierSession('GET', '/api/v1/merchant')).statusCode).toBe(401);
    expect((await signIn(`c-${m.merchantId}@cafe.example`)).response.statusCode).toBe(401);
    expect((await owner('POST', '/api/v1/staff', { email: `d-${m.merchantId}@cafe.example`, name: 'D', role: 'cashier', password: 'short' })).statusCode).toBe(400);
  });

  it('records a counter sale by phone: a new member, points by the rules, a retry that changes nothing', async () => {
    const { m, email } = await setup();
    expect((await m.request('POST', '/api/v1/rules', { template: 'purchase' })).statusCode).toBe(201);
    const owner = as(await signIn(email));
    await owner('POST', '/api/v1/staff', { email: `till-${m.merchantId}@cafe.example`, name: 'Till', role: 'cashier', password, maxPointsPerDay: 15 });
    const cashier = as(await signIn(`till-${m.merchantId}@cafe.example`));
    const sale = { phone: '089-111-2222', amountSatang: 25_000, saleId: 'sale-000001' };
    const first = await cashier('POST', '/api/v1/counter/sales', sale);
    expect(first.statusCode, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ newMember: true, pointsAwarded: 10, balance: { availablePoints: 10 } });
    const again = await cashier('POST', '/api/v1/counter/sales', sale);
    expect(again.json).toMatchObject({ memberId: first.json.memberId, newMember: false, pointsAwarded: 10, balance: { availablePoints: 10 } });
    const overLimit = await cashier('POST', '/api/v1/counter/sales', { ...sale, saleId: 'sale-000002' });
    expect(overLimit.statusCode).toBe(403);
    expect(overLimit.json.error.message).toMatch(/15 points a day/);
    const byKey = await m.request('POST', '/api/v1/counter/sales', { ...sale, phone: '+66891112222', saleId: 'sale-000003' });
    expect(byKey.json).toMatchObject({ memberId: first.json.memberId, pointsAwarded: 10, balance: { availablePoints: 20 } });
  });

  it('lets owners list, create and revoke API keys, showing a new key once and never again; managers may not', async () => {
    const { m, email } = await setup();
    const owner = as(await signIn(email));
    const created = await owner('POST', '/api/v1/keys', { kind: 'write', label: 'website' });
    expect(created.statusCode, JSON.stringify(created.json)).toBe(201);
    expect(created.json.secret).toMatch(/^wk_/);
    const listed = await owner('GET', '/api/v1/keys');
    const row = listed.json.keys.find((key: { id: string }) => key.id === created.json.id);
    expect(row).toMatchObject({ kind: 'write', label: 'website', revokedAt: null });
    expect(JSON.stringify(listed.json)).not.toContain(created.json.secret);
    const secretKey = await m.request('POST', '/api/v1/keys', { kind: 'secret', label: 'backend' });
    expect((await env().app.inject({ method: 'GET', url: '/api/v1/merchant', headers: { authorization: `Bearer ${secretKey.json.secret}` } })).statusCode).toBe(200);
    expect((await owner('POST', `/api/v1/keys/${secretKey.json.id}/revoke`)).statusCode).toBe(204);
    expect((await env().app.inject({ method: 'GET', url: '/api/v1/merchant', headers: { authorization: `Bearer ${secretKey.json.secret}` } })).statusCode).toBe(401);
    expect((await owner('POST', `/api/v1/keys/${secretKey.json.id}/revoke`)).statusCode).toBe(404);
    expect((await owner('POST', '/api/v1/keys', { kind: 'admin', label: 'x' })).statusCode).toBe(400);

    const managerEmail = `manager-${m.merchantId}@cafe.example`;
    await createStaff(env().ctx, m.merchantId, { email: managerEmail, name: 'Nid', role: 'manager', password });
    const manager = as(await signIn(managerEmail));
    expect((await manager('GET', '/api/v1/keys')).statusCode).toBe(403);
    const other = await env().newMerchant();
    expect((await other.request('POST', `/api/v1/keys/${created.json.id}/revoke`)).statusCode).toBe(404);
  });
});
