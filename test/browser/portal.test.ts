// The member portal in Chromium, on a phone-sized screen: a member opens the sign-in link from the
// shop, sees the card with QR code, balance and expiring points (Buddhist-era dates in Thai),
// redeems a reward whose counter code the cashier then consumes on the cashier screen, sends points
// to a friend by phone, shares a photo, and switches language. Prints the portal's JavaScript size.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeInChromium } from '../support/browser';
import { signInAsStaff } from '../support/staff-browser';
import { tinyPng } from '../support/media-fixtures';
import { describeEachStore, type TestMerchant } from '../support/stores';
import { liffChunkBytesGzipped, portalScriptBytesGzipped } from '../support/web-bundle';

const webDir = path.resolve('dist/web');
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describeInChromium('member portal in Chromium', (browser) => {
  it('sends the member portal less than 200 KB of JavaScript, gzipped, also with the LIFF SDK loaded in LINE', () => {
    const bytes = portalScriptBytesGzipped(webDir);
    const liffBytes = liffChunkBytesGzipped(webDir);
    console.log(`member portal JavaScript: ${(bytes / 1024).toFixed(1)} KB gzipped, ${((bytes + liffBytes) / 1024).toFixed(1)} KB in LINE with the LIFF SDK (target < 200 KB)`);
    expect(bytes + liffBytes).toBeLessThan(200 * 1024);
  });

  describeEachStore('a member on their phone', (env) => {
    async function member(m: TestMerchant, fields: Record<string, unknown>, points: number): Promise<string> {
      const memberId = (await m.request('POST', '/api/v1/members', fields)).json.id as string;
      if (points > 0) expect((await m.request('POST', '/api/v1/points/earn', { memberId, points, reason: 'โบนัสต้อนรับ', expiresAt: '2027-01-14T17:00:00Z' })).statusCode).toBe(201);
      return memberId;
    }
    const shot = async (page: Page, name: string) => {
      fs.mkdirSync('test-artifacts', { recursive: true });
      await page.screenshot({ path: `test-artifacts/portal-${name}-${env().kind}.png`, fullPage: true });
    };

    it('card, redemption used at the counter, transfer, sharing and the language switch', async () => {
      env().clock.set(Date.parse('2026-12-20T03:00:00Z'));
      const m = await env().newMerchant();
      await m.request('PATCH', '/api/v1/merchant', { transferLimits: { minPoints: 10, maxPoints: 500 } });
      await m.request('POST', '/api/v1/rewards', { nameTh: 'ลาเต้ฟรี', nameEn: 'Free latte', kind: 'free_item', value: 6500, costPoints: 100 });
      const malee = await member(m, { name: 'มาลี ใจงาม', phone: '0811111111' }, 300);
      await member(m, { name: 'นก ศรีสุข', phone: '0822222222' }, 0);
      const cashierEmail = `till-${m.merchantId}@cafe.example`;
      await createStaff(env().ctx, m.merchantId, { email: cashierEmail, name: 'Fon', role: 'cashier', password: 'counter password 1' });
      const base = await env().app.listen({ port: 0, host: '127.0.0.1' });
      const link = (await m.request('POST', `/api/v1/members/${malee}/sign-in-links`, {})).json;

      const context = await browser().newContext(phone);
      const page = await context.newPage();
      const tills = await browser().newContext({ viewport: { width: 1024, height: 768 } });
      const till = await tills.newPage();
      try {
        await page.goto(link.url.replace(/^https?:\/\/[^/]+/, base));
        // Thai by default: the balance, and the expiry date in the Buddhist era (14 Jan 2027 → 2570).
        await expect.poll(() => page.getByTestId('available-points').textContent()).toBe('300');
        expect(await page.locator('.expiring').textContent()).toContain('300 แต้ม หมดอายุ 14 ม.ค. 2570');
        expect(page.url()).toBe(`${base}/portal`); // the token is gone from the address bar
        expect(await page.locator('.qr svg').count()).toBe(1);
        await shot(page, 'card');

        await page.getByRole('button', { name: 'EN' }).click();
        expect(await page.locator('.expiring').textContent()).toContain('300 points expire on 14 Jan 2027');
        await page.getByRole('tab', { name: 'Rewards' }).click();
        await page.getByRole('button', { name: /Redeem for 100 points: Free latte/ }).click();
        await page.getByRole('button', { name: 'Confirm redemption' }).click();
        await page.getByRole('button', { name: 'Use at the counter' }).click();
        const counterCode = (await page.getByTestId('counter-code').textContent()) as string;
        expect(counterCode).toMatch(/^\d{6}$/);
        await shot(page, 'rewards');

        await signInAsStaff(till, `${base}/cashier`, cashierEmail, 'counter password 1');
        await till.getByRole('textbox', { name: '6-digit reward code' }).fill(counterCode);
        await till.getByRole('button', { name: 'Use coupon' }).click();
        await expect.poll(() => till.getByRole('status').textContent()).toContain('Coupon used');

        await page.getByRole('tab', { name: 'History' }).click();
        await page.getByRole('tab', { name: 'Rewards' }).click();
        await expect.poll(() => page.locator('.rewards').last().textContent()).toContain('Used');

        await page.getByRole('tab', { name: 'Send points' }).click();
        await page.getByLabel("Recipient's phone number").fill('082-222-2222');
        await page.getByLabel('Points to send').fill('50');
        await page.getByRole('button', { name: 'Next' }).click();
        const confirmation = page.getByRole('group', { name: 'Confirm and send' });
        await expect.poll(() => confirmation.textContent()).toContain('นก ศ.');
        await shot(page, 'transfer');
        await page.getByRole('button', { name: 'Confirm and send' }).click();
        await expect.poll(() => page.getByRole('status').textContent()).toBe('Points sent');
        await page.getByRole('tab', { name: 'Member card' }).click();
        await expect.poll(() => page.getByTestId('available-points').textContent()).toBe('150');

        await page.getByRole('tab', { name: 'Invite friends' }).click();
        expect(await page.getByRole('link', { name: 'Share on LINE' }).getAttribute('href')).toMatch(/^https:\/\/line\.me\/R\/share\?text=.*%2Fr%2F/);
        await page.getByRole('tab', { name: 'Share a photo or review' }).click();
        await page.getByLabel('File').setInputFiles({ name: 'latte.png', mimeType: 'image/png', buffer: tinyPng });
        await page.getByLabel('Your words').fill('Best latte in Ari');
        await page.getByRole('button', { name: 'Send' }).click();
        await expect.poll(() => page.getByRole('status').textContent()).toContain('the shop will review it');
        const [shared] = (await m.request('GET', '/api/v1/ugc?status=pending')).json.items;
        expect(shared).toMatchObject({ consent: true, text: 'Best latte in Ari' });
        await page.getByRole('button', { name: 'Stop showing it on the website' }).click();
        await expect.poll(async () => (await m.request('GET', `/api/v1/ugc/${shared.id}`)).json.consent).toBe(false);

        await page.getByRole('tab', { name: 'Settings' }).click();
        await page.getByLabel('Send me news and offers from the shop').check();
        await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved');
        await page.getByRole('button', { name: 'ไทย' }).click();
        expect(await page.getByRole('tab', { name: 'ตั้งค่า' }).getAttribute('aria-selected')).toBe('true');
        await shot(page, 'settings');
        await page.getByRole('button', { name: 'ออกจากระบบ' }).click();
        await page.getByRole('heading', { name: 'เข้าสู่บัตรสมาชิก' }).waitFor();
      } finally {
        await context.close();
        await tills.close();
      }
    }, 90_000);
  });
});
