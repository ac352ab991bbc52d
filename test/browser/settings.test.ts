// Settings in Chromium: an owner changes the shop's programme settings and adds a cashier, who can
// then sign in.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeInChromium } from '../support/browser';
import { signInAsStaff } from '../support/staff-browser';
import { describeEachStore } from '../support/stores';

describeInChromium('settings in Chromium', (browser) => {
  describeEachStore('shop settings', (env) => {
    it('saves programme settings and adds a cashier who can sign in', async () => {
      const m = await env().newMerchant();
      const email = `owner-${m.merchantId}@cafe.example`;
      await createStaff(env().ctx, m.merchantId, { email, name: 'Ploy', role: 'owner', password: 'owner password 12' });
      const base = await env().app.listen({ port: 0, host: '127.0.0.1' });
      const page = await browser().newPage();
      try {
        await signInAsStaff(page, `${base}/settings`, email, 'owner password 12');
        await page.getByLabel('Website').fill('https://kafe.example/');
        await page.getByLabel('A referral counts at').selectOption('signup');
        await page.getByLabel('Referrals a week before review').fill('3');
        await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
        await page.getByLabel('Points expire').selectOption('months_after_earn');
        await page.getByLabel('Months', { exact: true }).fill('18');
        await page.getByLabel('Largest transfer (empty: no limit)').fill('500');
        await page.getByRole('button', { name: 'Save' }).click();
        await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved');
        expect((await m.request('GET', '/api/v1/merchant')).json).toMatchObject({
          websiteUrl: 'https://kafe.example/', referralConvertsOn: 'signup', referralWeeklyLimit: 3, timeZone: 'Asia/Tokyo',
          expiryPolicy: { kind: 'months_after_earn', months: 18 }, transferLimits: { minPoints: 1, maxPoints: 500, maxPointsPerMonth: null },
        });
        const addForm = page.getByRole('form', { name: 'Add staff' });
        await addForm.getByLabel('Email').fill(`till-${m.merchantId}@cafe.example`);
        await addForm.getByLabel('Name').fill('Till');
        await addForm.getByLabel('Password').fill('till password 123');
        await addForm.getByRole('button', { name: 'Add staff' }).click();
        await expect.poll(() => page.locator('tbody').first().textContent()).toContain('Till');
        const signIn = await env().app.inject({ method: 'POST', url: '/auth/login', payload: { email: `till-${m.merchantId}@cafe.example`, password: 'till password 123' } });
        expect(signIn.json().staff.role).toBe('cashier');

        // A write key for the website: shown once, listed by its first characters, then revoked.
        const keyForm = page.getByRole('form', { name: 'Create key' });
        await keyForm.getByLabel('Key label').fill('website');
        await keyForm.getByLabel('Kind').selectOption('write');
        await keyForm.getByRole('button', { name: 'Create key' }).click();
        const secret = (await page.getByTestId('new-key').textContent()) as string;
        expect(secret).toMatch(/^wk_/);
        expect(await page.getByRole('table', { name: 'API keys' }).textContent()).not.toContain(secret);
        await page.getByRole('button', { name: 'Revoke website' }).click();
        await expect.poll(() => page.getByRole('table', { name: 'API keys' }).textContent()).toContain('revoked');
        fs.mkdirSync('test-artifacts', { recursive: true });
        await page.screenshot({ path: `test-artifacts/settings-${env().kind}.png`, fullPage: true });
      } finally {
        await page.close();
      }
    }, 60_000);
  });
});
