import { expect, it } from 'vitest';
import { birthdaysCelebratedOn } from '../../src/domain/rules/birthday';
import { awardBirthdays } from '../../src/services/rules/award-birthdays';
import { applyAwards } from '../../src/services/rules/apply-awards';
import { describeEachStore } from '../support/stores';

it('celebrates 29 February on 28 February in other years', () => {
  expect(birthdaysCelebratedOn('2027-02-28')).toEqual(['02-28', '02-29']);
  expect(birthdaysCelebratedOn('2028-02-28')).toEqual(['02-28']);
  expect(birthdaysCelebratedOn('2028-02-29')).toEqual(['02-29']);
});

describeEachStore('birthday points', (env) => {
  it('awards members whose birthday it is in Bangkok, once a year', async () => {
    const { ctx, clock } = env();
    const m = await env().newMerchant();
    await m.request('POST', '/api/v1/rules', { template: 'birthday' });
    const today = (await m.request('POST', '/api/v1/members', { birthday: '1990-05-13' })).json.id;
    const tomorrow = (await m.request('POST', '/api/v1/members', { birthday: '1991-05-14' })).json.id;
    const leap = (await m.request('POST', '/api/v1/members', { birthday: '1992-02-29' })).json.id;
    // 17:30 UTC on 12 May is already 13 May in Bangkok.
    clock.set('2026-05-12T17:30:00Z');
    await awardBirthdays(ctx, m.merchantId);
    await awardBirthdays(ctx, m.merchantId);
    await applyAwards(ctx, m.merchantId);
    const balance = async (memberId: string) => (await m.request('GET', `/api/v1/members/${memberId}/balance`)).json.availablePoints;
    expect(await balance(today)).toBe(100);
    expect(await balance(tomorrow)).toBe(0);
    clock.set('2027-02-28T05:00:00Z');
    await awardBirthdays(ctx, m.merchantId);
    await applyAwards(ctx, m.merchantId);
    expect(await balance(leap)).toBe(100);
    clock.set(Date.now());
  });
});
