// Members in the dashboard, in Chromium: a manager searches by part of a phone number, opens the
// member, reads their balance and history, and corrects their points with a reason.
import { expect, it } from 'vitest';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeInChromium } from '../support/browser';
import { signInAsStaff } from '../support/staff-browser';
import { describeEachStore } from '../support/stores';

describeInChromium('members in Chromium', (browser) => {
  describeEachStore('member page', (env) => {
    it('finds a member by phone, shows their points and adjusts them with a reason', async () => {
      const m = await env().newMerchant();
      const member = (await m.request('POST', '/api/v1/members', { name: 'Somchai Jaidee', phone: '081-234-5678' })).json;
      await m.request('POST', '/api/v1/members', { name: 'Nok', phone: '089-999-0000' });
      await m.request('POST', '/api/v1/points/earn', { memberId: member.id, points: 80, reason: 'opening' });
      expect((await m.request('POST', '/api/v1/ugc', { memberId: member.id, kind: 'review', rating: 5, text: 'กาแฟหอมมาก', consent: true })).statusCode).toBe(201);
      const { code } = (await m.request('GET', `/api/v1/members/${member.id}/referral-code`)).json;
      const friend = (await m.request('POST', '/api/v1/members', { name: 'Friend' })).json;
      const referral = await m.request('POST', '/api/v1/referrals', { code, refereeMemberId: friend.id });
      expect(referral.statusCode, JSON.stringify(referral.json)).toBe(201);
      const email = `manager-${m.merchantId}@cafe.example`;
      await createStaff(env().ctx, m.merchantId, { email, name: 'Mai', role: 'manager', password: 'manager password 1' });
      const base = await env().app.listen({ port: 0, host: '127.0.0.1' });
      const page = await browser().newPage();
      try {
        await signInAsStaff(page, `${base}/members`, email, 'manager password 1');
        await page.getByRole('searchbox').or(page.getByLabel('Search name, email or phone')).first().fill('2345');
        await page.getByRole('button', { name: 'Search' }).click();
        await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
        await page.getByRole('link', { name: 'Somchai Jaidee' }).click();
        await page.getByTestId('member-balance').waitFor();
        expect(await page.getByTestId('member-balance').textContent()).toBe('80');
        expect(await page.getByRole('table', { name: 'Points history' }).textContent()).toContain('opening');
        // The timeline, referrals and content arrive after the balance.
        await expect.poll(() => page.getByRole('table', { name: 'Timeline' }).textContent()).toContain('opening');
        await expect.poll(() => page.getByRole('region', { name: 'Photos and reviews' }).textContent()).toContain('review · pending · กาแฟหอมมาก');
        await expect.poll(() => page.getByRole('region', { name: 'Friends referred' }).textContent()).toContain('pending');
        await page.getByLabel('Points (+/-)').fill('-30');
        await page.getByLabel('Reason').fill('double scan at the till');
        await page.getByRole('button', { name: 'Adjust points' }).click();
        await expect.poll(() => page.getByTestId('member-balance').textContent()).toBe('50');
        expect(await page.getByRole('table', { name: 'Points history' }).textContent()).toContain('double scan at the till');
        expect((await m.request('GET', `/api/v1/members/${member.id}/balance`)).json.availablePoints).toBe(50);
        await page.screenshot({ path: `test-artifacts/member-${env().kind}.png`, fullPage: true });
      } finally {
        await page.close();
      }
    }, 60_000);
  });
});
