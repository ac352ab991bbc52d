// The programme pages in Chromium: the rules editor's live preview and the tier editor's preview,
// the rewards catalogue and the coupon desk, and the analytics page (funnel builder with the
// time-to-convert histogram, retention table).
import fs from 'node:fs';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeInChromium } from '../support/browser';
import { merchantWithWriteKey } from '../support/event-sender';
import { signInAsStaff } from '../support/staff-browser';
import { describeEachStore, type TestEnv, type TestMerchant } from '../support/stores';


describeInChromium('programme pages in Chromium', (browser) => {
  describeEachStore('an owner', (env) => {
    async function ownerPage(m: TestMerchant, pagePath: string): Promise<{ page: Page; base: string }> {
      const email = `owner-${m.merchantId}@cafe.example`;
      await createStaff(env().ctx, m.merchantId, { email, name: 'Ploy', role: 'owner', password: 'owner password 12' });
      const base = await listenOnce(env());
      const page = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
      await signInAsStaff(page, `${base}${pagePath}`, email, 'owner password 12');
      return { page, base };
    }
    const shot = async (page: Page, name: string) => {
      fs.mkdirSync('test-artifacts', { recursive: true });
      await page.screenshot({ path: `test-artifacts/${name}-${env().kind}.png`, fullPage: true });
    };

    it('writes an earning rule with a live preview, and a tier programme with its preview', async () => {
      const m = await env().newMerchant();
      const { page } = await ownerPage(m, '/rules');
      try {
        const form = page.getByRole('form', { name: 'Add rule' });
        await form.getByLabel('Name').fill('Double points over 300 baht');
        await form.getByLabel('Points', { exact: true }).fill('2');
        await form.getByLabel('For every (baht)').fill('25');
        await form.getByLabel('Smallest order (baht)').fill('300');
        await form.getByLabel('Try an order of (baht)').fill('1000');
        await expect.poll(() => form.getByRole('status', { name: 'Live preview' }).textContent()).toMatch(/1,000\.00 → 80 points/);
        await form.getByLabel('Try an order of (baht)').fill('200');
        await expect.poll(() => form.getByRole('status', { name: 'Live preview' }).textContent()).toMatch(/→ 0 points/);
        await form.getByRole('button', { name: 'Add rule' }).click();
        await expect.poll(() => page.getByRole('table', { name: 'Earning rules' }).textContent()).toContain('Double points over 300 baht');
        const rules = (await m.request('GET', '/api/v1/rules')).json.rules;
        expect(rules[0]).toMatchObject({ event: 'Order Completed', conditions: [{ property: 'revenue', op: 'gte', value: 300 }], award: { kind: 'per_amount', unitAmount: 25, pointsPerUnit: 2 } });

        const tiers = page.getByRole('form', { name: 'Tiers' });
        await tiers.getByRole('button', { name: 'Add tier' }).click();
        await tiers.getByLabel('Key 2').fill('gold');
        await tiers.getByLabel('Name 2').fill('Gold');
        await tiers.getByLabel('Threshold 2').fill('2000');
        await tiers.getByLabel('Earn multiplier (%) 2').fill('150');
        await tiers.getByLabel(/Try a member with/).fill('2500');
        expect(await tiers.getByRole('status', { name: 'Tier preview' }).textContent()).toBe('Gold · ×1.5');
        await tiers.getByLabel(/Try a member with/).fill('1999');
        expect(await tiers.getByRole('status', { name: 'Tier preview' }).textContent()).toBe('Member · ×1');
        // A third tier added and removed again leaves two.
        await tiers.getByRole('button', { name: 'Add tier' }).click();
        await tiers.getByRole('button', { name: 'Remove tier 3' }).click();
        await tiers.getByRole('button', { name: 'Save tiers' }).click();
        await expect.poll(async () => (await m.request('GET', '/api/v1/tiers')).json.tiers?.length).toBe(2);
        await shot(page, 'rules');
      } finally {
        await page.close();
      }
    }, 60_000);

    it('adds a reward to the catalogue, switches one off, and uses a coupon at the coupon desk', async () => {
      const m = await env().newMerchant();
      const { page } = await ownerPage(m, '/rewards');
      try {
        const form = page.getByRole('form', { name: 'Add reward' });
        await form.getByLabel('Name in Thai').fill('ลด 50 บาท');
        await form.getByLabel('Name in English').fill('50 baht off');
        await form.getByLabel('Kind').selectOption('amount_off');
        await form.getByLabel('Value (baht)').fill('50');
        await form.getByLabel('Points', { exact: true }).fill('120');
        await form.getByLabel('Stock (empty: unlimited)').fill('20');
        await form.getByRole('button', { name: 'Add reward' }).click();
        await expect.poll(() => page.getByRole('table', { name: 'Rewards catalogue' }).textContent()).toContain('50 baht off');
        const reward = (await m.request('GET', '/api/v1/rewards')).json.rewards[0];
        expect(reward).toMatchObject({ kind: 'amount_off', value: 5000, costPoints: 120, stockRemaining: 20, active: true });

        const memberId = (await m.request('POST', '/api/v1/members', {})).json.id;
        await m.request('POST', '/api/v1/points/earn', { memberId, points: 200, reason: 'test' });
        const coupon = (await m.request('POST', `/api/v1/rewards/${reward.id}/redeem`, { memberId })).json;
        const desk = page.getByRole('form', { name: 'Find a coupon' });
        await desk.getByLabel('Coupon code').fill(coupon.code);
        await desk.getByRole('button', { name: 'Search' }).click();
        await expect.poll(() => page.getByTestId('coupon-status').textContent()).toBe('issued');
        await desk.getByRole('button', { name: 'Use coupon' }).click();
        await expect.poll(() => page.getByTestId('coupon-status').textContent()).toBe('consumed');

        await page.getByRole('checkbox', { name: 'Active: 50 baht off' }).uncheck();
        await expect.poll(async () => (await m.request('GET', '/api/v1/rewards')).json.rewards[0].active).toBe(false);
        await shot(page, 'rewards');
      } finally {
        await page.close();
      }
    }, 60_000);

    it('builds an event funnel with the time-to-convert histogram and shows the retention table', async () => {
      env().clock.set(Date.now());
      const { m, send } = await merchantWithWriteKey(env());
      const at = (daysAgo: number, hours = 0) => new Date(Date.now() - daysAgo * 86_400_000 + hours * 3_600_000).toISOString();
      await send([
        { type: 'track', event: 'Product Viewed', userId: 'a', timestamp: at(20) },
        { type: 'track', event: 'Order Completed', userId: 'a', timestamp: at(20, 2), properties: { revenue: 120 } },
        { type: 'track', event: 'Order Completed', userId: 'a', timestamp: at(12), properties: { revenue: 90 } },
        { type: 'track', event: 'Product Viewed', userId: 'b', timestamp: at(15) },
        { type: 'track', event: 'Order Completed', userId: 'b', timestamp: at(14), properties: { revenue: 60 } },
        { type: 'track', event: 'Product Viewed', userId: 'c', timestamp: at(10) },
      ]);
      const { page } = await ownerPage(m, '/analytics');
      try {
        const builder = page.getByRole('form', { name: 'Funnel builder' });
        await builder.getByRole('button', { name: 'Remove last step' }).click();
        await builder.getByLabel('Step 1').fill('Product Viewed');
        await builder.getByLabel('Step 2').fill('Order Completed');
        await builder.getByRole('button', { name: 'Run' }).click();
        const steps = page.getByRole('table', { name: 'Funnel steps' });
        await expect.poll(() => steps.locator('tbody tr').nth(1).textContent()).toBe('Order Completed266.7%2.0 h');
        expect(await steps.locator('tbody tr').first().textContent()).toContain('Product Viewed3');
        await page.getByRole('img', { name: 'Time to convert' }).locator('canvas').waitFor();
        const retention = page.getByRole('table', { name: 'Retention (weekly)' });
        await expect.poll(() => retention.locator('tbody tr').count()).toBeGreaterThan(0);
        await shot(page, 'analytics');
      } finally {
        await page.close();
      }
    }, 60_000);
  });
});

const listening = new WeakMap<object, Promise<string>>();
/** The app listens once per store; each test opens its own page on it. */
function listenOnce(env: TestEnv): Promise<string> {
  let base = listening.get(env.app);
  if (!base) {
    base = env.app.listen({ port: 0, host: '127.0.0.1' });
    listening.set(env.app, base);
  }
  return base;
}
