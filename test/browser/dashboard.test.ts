// The merchant dashboard in Chromium: an owner signs in and sees the headline numbers, the journey
// funnel, the stage flows, the conversion trend and the top channels drawn by ECharts.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeInChromium } from '../support/browser';
import { merchantWithWriteKey } from '../support/event-sender';
import { signInAsStaff } from '../support/staff-browser';
import { describeEachStore } from '../support/stores';

describeInChromium('dashboard in Chromium', (browser) => {
  describeEachStore('overview', (env) => {
    it('shows the headline numbers and the four charts to an owner', async () => {
      env().clock.set(Date.now());
      const { m, send } = await merchantWithWriteKey(env());
      const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
      await send([
        { type: 'page', anonymousId: 'v1', timestamp: day(20), context: { campaign: { source: 'newsletter', medium: 'email' } } },
        { type: 'identify', userId: 'u1', anonymousId: 'v1', timestamp: day(19) },
        { type: 'track', event: 'Order Completed', userId: 'u1', timestamp: day(18), properties: { revenue: 200 } },
        { type: 'page', anonymousId: 'v2', timestamp: day(10), context: { page: { url: 'https://shop.example/', referrer: 'https://www.google.com/' } } },
      ]);
      const memberId = (await m.request('GET', '/api/v1/members?externalId=u1')).json.members[0].id;
      await m.request('POST', '/api/v1/points/earn', { memberId, points: 120, reason: 'welcome' });
      await m.request('POST', '/api/v1/points/spend', { memberId, points: 20, reason: 'latte' });
      const email = `owner-${m.merchantId}@cafe.example`;
      await createStaff(env().ctx, m.merchantId, { email, name: 'Ploy', role: 'owner', password: 'owner password 12' });
      const base = await env().app.listen({ port: 0, host: '127.0.0.1' });
      const page = await browser().newPage({ viewport: { width: 1280, height: 1100 } });
      try {
        await signInAsStaff(page, `${base}/`, email, 'owner password 12');
        await page.getByRole('heading', { name: 'Overview' }).waitFor();
        const stats = await page.$$eval('.stat', (cards) => cards.map((card) => [card.querySelector('span')?.textContent, card.querySelector('strong')?.textContent]));
        expect(Object.fromEntries(stats)).toEqual({ Members: '1', 'Active in 30 days': '1', 'Points issued': '120', 'Points redeemed': '20', 'Points outstanding (liability)': '100' });
        for (const chart of ['Customer journey (90 days)', 'Stage flows', 'Weekly purchase conversion', 'Top channels']) {
          await page.getByRole('img', { name: chart }).locator('canvas').waitFor();
        }
        fs.mkdirSync('test-artifacts', { recursive: true });
        await page.screenshot({ path: `test-artifacts/dashboard-${env().kind}.png`, fullPage: true });
      } finally {
        await page.close();
      }
    }, 60_000);
  });
});
