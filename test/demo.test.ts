import { expect, it } from 'vitest';
import { seedDemoData } from '../src/services/demo/seed-demo-data';
import { checkLedger } from '../src/services/points/check-ledger';
import { describeEachStore } from './support/stores';

describeEachStore('demo data', (env) => {
  it('makes a consistent café through the real services: every stage reached, a sound ledger', async () => {
    env().clock.set(Date.now());
    const m = await env().newMerchant();
    const summary = await seedDemoData(env().ctx, m.merchantId, { members: 120, seed: 7 });
    expect(summary.members).toBeGreaterThan(60);
    expect(summary.events).toBeGreaterThan(600);
    expect(summary.referrals).toBeGreaterThan(0);
    expect(summary.shareClicks).toBeGreaterThan(0);
    expect(summary.ugc).toBeGreaterThan(0);
    // Tomorrow in UTC covers today in Bangkok at any hour.
    const today = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    const journey = (await m.request('GET', `/api/v1/analytics/journey?from=${from}&to=${today}`)).json;
    const reached = Object.fromEntries(journey.stages.map((stage: { key: string; reached: number }) => [stage.key, stage.reached]));
    expect(reached.awareness).toBe(120 + 1 + summary.shareClicks); // the customers, the portal's demo member, and every share click is a new visitor
    for (const key of ['consideration', 'purchase', 'loyalty', 'advocacy']) expect(reached[key], key).toBeGreaterThan(0);
    const overview = (await m.request('GET', '/api/v1/overview')).json;
    expect(overview.members).toBe(summary.members);
    expect(overview.points.issued).toBeGreaterThan(0);
    expect(overview.points.outstanding).toBe(overview.points.issued - overview.points.redeemed - overview.points.expired + overview.points.adjusted);
    const [report] = await checkLedger(env().ctx, m.merchantId);
    expect(report?.violations).toEqual([]);
    const tiers = await env().store.db.selectFrom('member_tiers').select('tier_key').where('merchant_id', '=', m.merchantId).execute();
    expect(new Set(tiers.map((row) => row.tier_key)).size).toBeGreaterThan(1);
  }, 120_000);
});
