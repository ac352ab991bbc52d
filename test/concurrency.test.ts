import { expect, it } from 'vitest';
import { merchantClient, describeEachStore, type TestMerchant } from './support/stores';
import { expectLedgerConsistent } from './support/ledger-assertions';

// On PostgreSQL the requests are split over two servers (two pools) on one database, so row locks
// between processes are exercised, not just the in-process queue. Embedded SQLite is one process
// by design, so there the queue and BEGIN IMMEDIATE are what is exercised.
describeEachStore('concurrency', (env) => {
  async function clients(m: TestMerchant): Promise<TestMerchant[]> {
    if (env().kind === 'sqlite') return [m];
    const second = await env().secondServer();
    return [m, merchantClient(second.app, m.merchantId, m.key)];
  }

  it('100 concurrent spends of 10 against 500 points: exactly 50 succeed and the balance is 0', async () => {
    const m = await env().newMerchant();
    const memberId = (await m.request('POST', '/api/v1/members', {})).json.id;
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 500, reason: 'float' });
    const servers = await clients(m);
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      (servers[i % servers.length] as TestMerchant).request('POST', '/api/v1/points/spend', { memberId, points: 10, reason: `spend ${i}` })));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 422)).toHaveLength(50);
    expect(responses.filter((r) => r.statusCode === 422).every((r) => r.json.error.code === 'insufficient_points')).toBe(true);
    const balance = await m.request('GET', `/api/v1/members/${memberId}/balance`);
    expect(balance.json.availablePoints).toBe(0);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('concurrent transfers A→B and B→A conserve the total and none fails for a deadlock', async () => {
    const m = await env().newMerchant();
    const a = (await m.request('POST', '/api/v1/members', {})).json.id;
    const b = (await m.request('POST', '/api/v1/members', {})).json.id;
    await m.request('POST', '/api/v1/points/earn', { memberId: a, points: 1000, reason: 'float' });
    await m.request('POST', '/api/v1/points/earn', { memberId: b, points: 1000, reason: 'float' });
    const servers = await clients(m);
    const responses = await Promise.all(Array.from({ length: 120 }, (_, i) =>
      (servers[i % servers.length] as TestMerchant).request('POST', '/api/v1/points/transfer', {
        fromMemberId: i % 2 === 0 ? a : b, toMemberId: i % 2 === 0 ? b : a, points: 1 + (i % 7),
      })));
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    const [balanceA, balanceB] = await Promise.all([a, b].map((id) => m.request('GET', `/api/v1/members/${id}/balance`)));
    expect((balanceA?.json.availablePoints ?? 0) + (balanceB?.json.availablePoints ?? 0)).toBe(2000);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('a duplicate delivered to both servers at once is written once', async () => {
    const m = await env().newMerchant();
    const memberId = (await m.request('POST', '/api/v1/members', {})).json.id;
    const servers = await clients(m);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      (servers[i % servers.length] as TestMerchant).request('POST', '/api/v1/points/earn', { memberId, points: 15, reason: 'order 9' }, { 'idempotency-key': 'order-9' })));
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.json.transaction.id)).size).toBe(1);
    const balance = await m.request('GET', `/api/v1/members/${memberId}/balance`);
    expect(balance.json.availablePoints).toBe(15);
  });
});
