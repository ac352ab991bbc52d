import { describe, expect, it } from 'vitest';
import { creditWeights } from '../../src/domain/analytics/attribution';
import { dateRange, PeriodBuckets } from '../../src/domain/analytics/calendar';
import { classifyChannel, compileChannelRules, touchOf } from '../../src/domain/analytics/channels';

describe('channels', () => {
  const channelOf = (context: Record<string, unknown>, properties: Record<string, unknown> | null = null) => classifyChannel(touchOf(properties, context));
  it('classifies by UTM, click id and referrer like the default channel rules', () => {
    expect(channelOf({ campaign: { source: 'google', medium: 'cpc' } })).toBe('Paid Search');
    expect(channelOf({ page: { url: 'https://s.example/?gclid=abc' } })).toBe('Paid Search');
    expect(channelOf({ campaign: { source: 'facebook', medium: 'paid_social' } })).toBe('Paid Social');
    expect(channelOf({ page: { url: 'https://s.example/?ttclid=1' } })).toBe('Paid Social');
    expect(channelOf({ page: { url: 'https://s.example/', referrer: 'https://m.facebook.com/' } })).toBe('Organic Social');
    expect(channelOf({ page: { url: 'https://s.example/?fbclid=1' } })).toBe('Organic Social');
    expect(channelOf({ page: { url: 'https://s.example/', referrer: 'https://www.google.co.th/' } })).toBe('Organic Search');
    expect(channelOf({ campaign: { source: 'newsletter', medium: 'email' } })).toBe('Email');
    expect(channelOf({ page: { url: 'https://s.example/', referrer: 'https://liff.line.me/123' } })).toBe('LINE');
    expect(channelOf({ campaign: { source: 'line', medium: 'broadcast' } })).toBe('LINE');
    expect(channelOf({ campaign: { source: 'sentang', medium: 'share' } })).toBe('Share Link');
    expect(channelOf({ campaign: { source: 'partner', medium: 'affiliate' } })).toBe('Affiliate');
    expect(channelOf({ page: { url: 'https://s.example/', referrer: 'https://pantip.com/topic/1' } })).toBe('Organic Social');
    expect(channelOf({ page: { url: 'https://s.example/', referrer: 'https://blog.example.org/' } })).toBe('Referral');
    expect(classifyChannel(null)).toBe('Direct');
  });
  it('treats a referrer from the same site as no touch, and reads UTM from the page URL', () => {
    expect(touchOf(null, { page: { url: 'https://s.example/b', referrer: 'https://s.example/a' } })).toBeNull();
    expect(touchOf({ url: 'https://s.example/?utm_source=IG&utm_medium=Social' }, null)).toMatchObject({ source: 'ig', medium: 'social' });
  });
  it("tries the merchant's rules first", () => {
    const rules = compileChannelRules([{ channel: 'Marketplace', source: 'shopee|lazada' }, { channel: 'TikTok Shop', referrer: 'tiktok' }]);
    expect(classifyChannel(touchOf(null, { campaign: { source: 'Shopee' } }), rules)).toBe('Marketplace');
    expect(classifyChannel(touchOf(null, { page: { url: 'https://s.example/', referrer: 'https://www.tiktok.com/' } }), rules)).toBe('TikTok Shop');
  });
});

describe('attribution weights', () => {
  it('sum to one for every model and length', () => {
    for (const model of ['first_touch', 'last_touch', 'linear', 'position_based'] as const) {
      for (let n = 1; n <= 6; n += 1) expect(creditWeights(model, n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(creditWeights('position_based', 4)).toEqual([0.4, 0.1, 0.1, 0.4]);
    expect(creditWeights('position_based', 2)).toEqual([0.5, 0.5]);
    expect(creditWeights('first_touch', 3)).toEqual([1, 0, 0]);
  });
});

describe('calendar', () => {
  it('turns merchant dates into UTC instants and buckets by local weeks and months', () => {
    expect(dateRange('2026-03-01', '2026-03-01', 'Asia/Bangkok')).toEqual({ startMs: Date.parse('2026-02-28T17:00:00Z'), endMs: Date.parse('2026-03-01T17:00:00Z') });
    const weeks = new PeriodBuckets(dateRange('2026-03-01', '2026-03-15', 'Asia/Bangkok'), 'week', 'Asia/Bangkok');
    expect(weeks.labels).toEqual(['2026-02-23', '2026-03-02', '2026-03-09']);
    expect(weeks.indexOf(Date.parse('2026-03-01T16:59:59Z'))).toBe(0);
    expect(weeks.indexOf(Date.parse('2026-03-01T17:00:00Z'))).toBe(1);
    const months = new PeriodBuckets(dateRange('2026-01-15', '2026-02-10', 'Asia/Bangkok'), 'month', 'Asia/Bangkok', 2);
    expect(months.labels).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
    expect(() => dateRange('2026-02-30', '2026-03-01', 'Asia/Bangkok')).toThrow(/real calendar dates/);
  });
});
