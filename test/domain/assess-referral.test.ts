import { describe, expect, it } from 'vitest';
import { assessReferral, type ReferralParty } from '../../src/domain/referrals/assess-referral';

const nowMs = Date.parse('2026-11-22T00:00:00Z');
const party = (memberId: string, extra: Partial<ReferralParty> = {}): ReferralParty => ({
  memberId, phone: null, email: null, lineUserId: null, createdAtMs: nowMs - 60_000, deviceIds: [], ips: [], ...extra,
});
const assess = (referrer: ReferralParty, referee: ReferralParty, extra: Partial<Parameters<typeof assessReferral>[0]> = {}) =>
  assessReferral({ referrer, referee, refereeHasOrdered: false, referrerReferralsThisWeek: 0, weeklyLimit: 10, nowMs, ...extra });

describe('referral fraud checks', () => {
  it('refuses self-referral and passes a clean one', () => {
    expect(assess(party('a'), party('a')).refused).toMatch(/themselves/);
    expect(assess(party('a'), party('b'))).toEqual({ refused: null, flags: [] });
  });
  it('flags every sign of one person or an old customer, together', () => {
    const referrer = party('a', { phone: '+66812345678', email: 'a@x.th', lineUserId: 'U1', deviceIds: ['d1'], ips: ['1.2.3.4'] });
    const referee = party('b', { phone: '+66812345678', email: 'a@x.th', lineUserId: 'U1', deviceIds: ['d2', 'd1'], ips: ['1.2.3.4'], createdAtMs: nowMs - 2 * 86_400_000 });
    expect(assess(referrer, referee, { refereeHasOrdered: true, referrerReferralsThisWeek: 10 }).flags).toEqual([
      'shared_phone', 'shared_email', 'shared_line_id', 'shared_device', 'shared_ip', 'existing_member', 'already_ordered', 'weekly_limit',
    ]);
  });
  it('does not take two missing contacts for a shared one', () => {
    expect(assess(party('a'), party('b')).flags).toEqual([]);
  });
});
