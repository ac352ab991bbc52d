import { expect, it } from 'vitest';
import { describeEachStore } from '../support/stores';

describeEachStore('members API', (env) => {
  it('creates, reads and updates a member, normalising phone and email', async () => {
    const m = await env().newMerchant();
    const created = await m.request('POST', '/api/v1/members', {
      externalId: 'shop-42', phone: '081-234-5678', email: ' Somchai@Example.COM ', lineUserId: 'U1234', name: 'Somchai', birthday: '1990-04-13',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({ externalId: 'shop-42', phone: '+66812345678', email: 'somchai@example.com', lineUserId: 'U1234', birthday: '1990-04-13' });
    const fetched = await m.request('GET', `/api/v1/members/${created.json.id}`);
    expect(fetched.json).toEqual(created.json);
    const updated = await m.request('PATCH', `/api/v1/members/${created.json.id}`, { name: 'Somchai J.', email: null });
    expect(updated.json).toMatchObject({ name: 'Somchai J.', email: null, phone: '+66812345678' });
  });

  it('finds a member by externalId, any form of the phone number, email or LINE user id', async () => {
    const m = await env().newMerchant();
    const id = (await m.request('POST', '/api/v1/members', { externalId: 'e-1', phone: '+66 81 234 5678', email: 'a@b.co', lineUserId: 'Uabc' })).json.id;
    for (const query of ['externalId=e-1', 'phone=081-234-5678', 'phone=%2B66812345678', 'email=A%40B.co', 'lineUserId=Uabc']) {
      const found = await m.request('GET', `/api/v1/members?${query}`);
      expect(found.json.members.map((member: { id: string }) => member.id), query).toEqual([id]);
    }
    expect((await m.request('GET', '/api/v1/members?externalId=nobody')).json.members).toEqual([]);
  });

  it('refuses a second member with the same phone, email, externalId or LINE id', async () => {
    const m = await env().newMerchant();
    await m.request('POST', '/api/v1/members', { externalId: 'x1', phone: '0812345678', email: 'a@b.co', lineUserId: 'U1' });
    for (const [field, body] of [
      ['phone', { phone: '+66 81 234 5678' }], ['email', { email: 'A@B.CO' }], ['externalId', { externalId: 'x1' }], ['lineUserId', { lineUserId: 'U1' }],
    ] as const) {
      const response = await m.request('POST', '/api/v1/members', body);
      expect(response.statusCode, field).toBe(409);
      expect(response.json.error).toMatchObject({ code: 'member_conflict', details: { field } });
    }
    // Another merchant may have a member with the same phone.
    const other = await env().newMerchant();
    expect((await other.request('POST', '/api/v1/members', { phone: '0812345678' })).statusCode).toBe(201);
  });

  it('refuses an invalid phone number with a clear error', async () => {
    const m = await env().newMerchant();
    const response = await m.request('POST', '/api/v1/members', { phone: '12345' });
    expect(response.statusCode).toBe(422);
    expect(response.json.error.code).toBe('invalid_phone');
    expect((await m.request('GET', '/api/v1/members')).json.members).toEqual([]);
  });

  it('pages through members with a cursor', async () => {
    const m = await env().newMerchant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await m.request('POST', '/api/v1/members', { name: `m${i}` })).json.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await m.request('GET', `/api/v1/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.json.members.map((member: { id: string }) => member.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('searches members by part of a name, email or phone, in any case', async () => {
    const m = await env().newMerchant();
    await m.request('POST', '/api/v1/members', { name: 'Somchai Jaidee', phone: '081-234-5678' });
    await m.request('POST', '/api/v1/members', { name: 'Nok', email: 'Nok.Bird@Example.com' });
    await m.request('POST', '/api/v1/members', { name: '100%_sure' });
    const names = async (q: string) => (await m.request('GET', `/api/v1/members?q=${encodeURIComponent(q)}`)).json.members.map((member: { name: string }) => member.name).sort();
    expect(await names('somchai')).toEqual(['Somchai Jaidee']);
    expect(await names('bird@')).toEqual(['Nok']);
    expect(await names('0812345')).toEqual(['Somchai Jaidee']);
    expect(await names('%_')).toEqual(['100%_sure']);
    expect(await names('zzz')).toEqual([]);
  });
});
