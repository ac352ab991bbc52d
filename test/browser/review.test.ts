// The review queues in Chromium: a manager approves a review (the member gets the rule's points) and
// rejects another with a reason, and clears a referral the fraud checks held.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { createStaff } from '../../src/services/staff/manage-staff';
import { describeInChromium } from '../support/browser';
import { signInAsStaff } from '../support/staff-browser';
import { describeEachStore } from '../support/stores';

describeInChromium('review queues in Chromium', (browser) => {
  describeEachStore('moderation', (env) => {
    it('approves and rejects content and clears a held referral, every decision kept', async () => {
      const m = await env().newMerchant();
      expect((await m.request('POST', '/api/v1/rules', { template: 'ugc_approved' })).statusCode).toBe(201);
      await m.request('PATCH', '/api/v1/merchant', { referralWeeklyLimit: 1 });
      const [alice, bob, carol] = await Promise.all(['Alice', 'Bob', 'Carol'].map(async (name) => (await m.request('POST', '/api/v1/members', { name })).json.id as string));
      const good = (await m.request('POST', '/api/v1/ugc', { memberId: alice, kind: 'review', rating: 5, text: 'Lovely <b>latte</b>', consent: true })).json;
      const bad = (await m.request('POST', '/api/v1/ugc', { memberId: alice, kind: 'review', rating: 1, text: 'buy cheap watches', consent: true })).json;
      const { code } = (await m.request('GET', `/api/v1/members/${alice}/referral-code`)).json;
      await m.request('POST', '/api/v1/referrals', { code, refereeMemberId: bob });
      const held = (await m.request('POST', '/api/v1/referrals', { code, refereeMemberId: carol })).json;
      expect(held.status).toBe('flagged');
      const email = `manager-${m.merchantId}@cafe.example`;
      await createStaff(env().ctx, m.merchantId, { email, name: 'Mai', role: 'manager', password: 'manager password 1' });
      const base = await env().app.listen({ port: 0, host: '127.0.0.1' });
      const page = await browser().newPage();
      try {
        await signInAsStaff(page, `${base}/review`, email, 'manager password 1');
        const goodRow = page.locator(`[data-ugc-id="${good.id}"]`);
        await goodRow.waitFor();
        expect(await goodRow.locator('.member-text').textContent()).toBe('Lovely <b>latte</b>');
        fs.mkdirSync('test-artifacts', { recursive: true });
        await page.screenshot({ path: `test-artifacts/review-${env().kind}.png`, fullPage: true });
        await goodRow.getByRole('button', { name: 'Approve' }).click();
        await goodRow.waitFor({ state: 'detached' });
        const badRow = page.locator(`[data-ugc-id="${bad.id}"]`);
        await badRow.getByLabel('Reason').fill('spam');
        await badRow.getByRole('button', { name: 'Reject' }).click();
        await badRow.waitFor({ state: 'detached' });
        const heldRow = page.locator(`[data-referral-id="${held.id}"]`);
        expect(await heldRow.textContent()).toContain('weekly_limit');
        await heldRow.getByLabel('Reason').fill('checked with the store');
        await heldRow.getByRole('button', { name: 'Approve' }).click();
        await heldRow.waitFor({ state: 'detached' });
        expect(await page.getByText('Nothing waiting').count()).toBe(2);
        expect((await m.request('GET', `/api/v1/ugc/${good.id}`)).json.status).toBe('approved');
        expect((await m.request('GET', `/api/v1/ugc/${bad.id}`)).json).toMatchObject({ status: 'rejected', decisionReason: 'spam' });
        const referral = (await m.request('GET', `/api/v1/referrals/${held.id}`)).json;
        expect(referral.status).toBe('pending');
        expect(referral.decisions.map((d: { action: string; reason: string | null }) => [d.action, d.reason])).toEqual([['flagged', 'weekly_limit'], ['approved', 'checked with the store']]);
        expect((await m.request('GET', `/api/v1/members/${alice}/balance`)).json.availablePoints).toBe(30);
      } finally {
        await page.close();
      }
    }, 60_000);
  });
});
