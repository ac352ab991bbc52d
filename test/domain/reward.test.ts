import { describe, expect, it } from 'vitest';
import { assertRedeemable, couponCodeFrom, couponStatusAt, discountSatang, normalizeCouponCode, type Reward } from '../../src/domain/rewards/reward';

const reward: Reward = {
  id: 'rwd_1', nameTh: 'ก', nameEn: 'A', descriptionTh: '', descriptionEn: '', imageUrl: null, kind: 'amount_off', value: 5000, minOrderSatang: 0,
  costPoints: 100, stockTotal: null, stockRemaining: null, perMemberLimit: 2, startsAtMs: 1000, endsAtMs: 2000, tiers: ['gold'],
  couponValidDays: 30, refundOnCancel: true, issueOnSignup: false, usesCodePool: false, active: true,
};

describe('rewards', () => {
  it('computes discounts in satang, never above the order', () => {
    expect(discountSatang('amount_off', 5000, 3000)).toBe(3000);
    expect(discountSatang('amount_off', 5000, 30000)).toBe(5000);
    expect(discountSatang('percent_off', 15, 33333)).toBe(4999);
    expect(discountSatang('free_item', 6500, 10000)).toBe(6500);
    expect(discountSatang('gift', null, 10000)).toBe(0);
  });
  it('checks the window (end exclusive), tiers and the per-member limit', () => {
    const ok = { nowMs: 1500, memberTier: 'gold', redeemedByMember: 1 };
    expect(() => assertRedeemable(reward, ok)).not.toThrow();
    expect(() => assertRedeemable(reward, { ...ok, nowMs: 999 })).toThrow(/not be redeemed yet/);
    expect(() => assertRedeemable(reward, { ...ok, nowMs: 2000 })).toThrow(/no longer/);
    expect(() => assertRedeemable(reward, { ...ok, memberTier: null })).toThrow(/tiers gold/);
    expect(() => assertRedeemable(reward, { ...ok, redeemedByMember: 2 })).toThrow(/2 time/);
    expect(() => assertRedeemable({ ...reward, active: false }, ok)).toThrow(/not active/);
  });
  it('makes readable codes and reads them back as typed', () => {
    const code = couponCodeFrom(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 255]));
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(normalizeCouponCode(' ab-cd 12 ')).toBe('ABCD12');
  });
  it('expires issued coupons by the clock and shows a refunding one as cancelled', () => {
    expect(couponStatusAt('issued', 100, 99)).toBe('issued');
    expect(couponStatusAt('issued', 100, 100)).toBe('expired');
    expect(couponStatusAt('consumed', 100, 500)).toBe('consumed');
    expect(couponStatusAt('refunding', 100, 50)).toBe('cancelled');
  });
});
