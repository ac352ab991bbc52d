// Members in the dashboard, in Chromium: a manager searches by part of a phone number, opens the
// member, reads their balance and history, and corrects their points with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createStaff } from '../../src/services/staff/manage-staff';
import { hasChromium, launchBrowser } from '../support/browser';
import { describeEachStore } from '../support/stores';

const built = fs.existsSync(path.resolve('dist/web/index.html'));

describe.skipIf(!hasChromium || !built)('members in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

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
      const page = await browser.newPage();
      try {
        await page.goto(`${base}/members`);
        await page.getByRole('button', { name: 'EN' }).click();
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill('manager password 1');
        await page.getByRole('button', { name: 'Sign in' }).last().click();
        await page.getByRole('searchbox').or(page.getByLabel('Search name, email or phone')).first().fill('2345');
        await page.getByRole('button', { name: 'Search' }).click();
        await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
        await page.getByRole('link', { name: 'Somchai Jaidee' }).click();
        await page.getByTestId('member-balance').waitFor();
        expect(await page.getByTestId('member-balance').textContent()).toBe('80');
        expect(await page.getByRole('table', { name: 'Points history' }).textContent()).toContain('opening');
        expect(await page.getByRole('table', { name: 'Timeline' }).textContent()).toContain('opening');
        expect(await page.getByRole('region', { name: 'Photos and reviews' }).textContent()).toContain('review · pending · กาแฟหอมมาก');
        expect(await page.getByRole('region', { name: 'Friends referred' }).textContent()).toContain('pending');
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
