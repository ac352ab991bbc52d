import { expect, it } from 'vitest';
import { applyAwards } from '../../src/services/rules/apply-awards';
import { evaluateTiers } from '../../src/services/tiers/evaluate-member-tier';
import { merchantWithWriteKey } from '../support/event-sender';
import { describeEachStore, type TestMerchant } from '../support/stores';

const program = (basis: 'points_earned' | 'spend', thresholds: [number, number]) => ({
  basis, windowMonths: 12, graceDays: 30,
  tiers: [
    { key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' },
    { key: 'silver', name: 'Silver', threshold: thresholds[0], multiplierPercent: 125, benefits: 'Free upsize' },
    { key: 'gold', name: 'Gold', threshold: thresholds[1], multiplierPercent: 150, benefits: 'Free drink monthly' },
  ],
});

async function tierOf(m: TestMerchant, memberId: string, expected?: string): Promise<any> {
  // Upgrades run just after the answer; wait for them briefly.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const response = await m.request('GET', `/api/v1/members/${memberId}/tier`);
    if (!expected || response.json.tier?.key === expected) return response.json;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return (await m.request('GET', `/api/v1/members/${memberId}/tier`)).json;
}

describeEachStore('tiers', (env) => {
  it('validates the program', async () => {
    const m = await env().newMerchant();
    expect((await m.request('GET', '/api/v1/tiers')).statusCode).toBe(404);
    expect((await m.request('PUT', '/api/v1/tiers', program('points_earned', [1000, 5000]))).statusCode).toBe(200);
    expect((await m.request('GET', '/api/v1/tiers')).json.tiers).toHaveLength(3);
    expect((await m.request('PUT', '/api/v1/tiers', program('points_earned', [5000, 1000]))).json.error.message).toContain('rise');
    const noBase = program('spend', [1, 2]);
    noBase.tiers[0]!.threshold = 5;
    expect((await m.request('PUT', '/api/v1/tiers', noBase)).statusCode).toBe(400);
  });

  it('upgrades as soon as earned points cross a threshold, records it and emits Tier Changed', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await m.request('PUT', '/api/v1/tiers', program('points_earned', [1000, 5000]));
    await send([{ type: 'identify', userId: 't1' }]);
    const memberId = (await m.request('GET', '/api/v1/members?externalId=t1')).json.members[0].id;
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 600, reason: 'x' });
    expect((await tierOf(m, memberId)).tier.key).toBe('member');
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 500, reason: 'x' });
    const tier = await tierOf(m, memberId, 'silver');
    expect(tier).toMatchObject({ tier: { key: 'silver' }, qualifyingValue: 1100, nextTier: { key: 'gold', missing: 3900 } });
    expect(tier.changes.map((c: any) => [c.from, c.to, c.direction])).toContainEqual(['member', 'silver', 'upgrade']);
    const changed = (await m.request('GET', '/api/v1/events?limit=200')).json.events.filter((e: any) => e.event === 'Tier Changed');
    expect(changed.map((e: any) => e.properties.to)).toContain('silver');
  });

  it('multiplies rule points by the tier multiplier', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    await m.request('PUT', '/api/v1/tiers', program('points_earned', [100, 5000]));
    await m.request('POST', '/api/v1/rules', { template: 'purchase' });
    await send([{ type: 'identify', userId: 't2' }]);
    const memberId = (await m.request('GET', '/api/v1/members?externalId=t2')).json.members[0].id;
    await m.request('POST', '/api/v1/points/earn', { memberId, points: 100, reason: 'welcome' });
    await tierOf(m, memberId, 'silver');
    await send([{ type: 'track', event: 'Order Completed', userId: 't2', properties: { revenue: 400 } }]);
    await applyAwards(env().ctx, m.merchantId);
    // 400 THB is 16 points; Silver gives 125%.
    expect((await m.request('GET', `/api/v1/members/${memberId}/balance`)).json.availablePoints).toBe(100 + 20);
  });

  it('moves up on spend, and down only at the periodic evaluation after the grace period', async () => {
    const { m, send } = await merchantWithWriteKey(env());
    const { clock, ctx } = env();
    clock.set('2026-01-10T00:00:00Z');
    await m.request('PUT', '/api/v1/tiers', program('spend', [100_000, 500_000]));
    await send([{ type: 'track', event: 'Order Completed', userId: 't3', properties: { revenue: 1200 }, timestamp: '2026-01-10T00:00:00Z' }]);
    const memberId = (await m.request('GET', '/api/v1/members?externalId=t3')).json.members[0].id;
    expect((await tierOf(m, memberId, 'silver')).qualifyingValue).toBe(120_000);
    // A year later the order leaves the window: below Silver, but the grace period runs first.
    clock.set('2027-01-15T00:00:00Z');
    await evaluateTiers(ctx, m.merchantId);
    let tier = await tierOf(m, memberId);
    expect(tier).toMatchObject({ tier: { key: 'silver' }, qualifiesFor: 'member', belowSince: '2027-01-15T00:00:00.000Z' });
    clock.set('2027-02-10T00:00:00Z');
    await evaluateTiers(ctx, m.merchantId);
    expect((await tierOf(m, memberId)).tier.key).toBe('silver');
    clock.set('2027-02-15T00:00:00Z');
    await evaluateTiers(ctx, m.merchantId);
    tier = await tierOf(m, memberId);
    expect(tier.tier.key).toBe('member');
    expect(tier.changes.map((c: any) => c.direction)).toEqual(['upgrade', 'downgrade']);
    clock.set(Date.now());
  });
});
