import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { basePoints, cappedPoints, periodStartMs, ruleTemplates, type CapPeriod, type EarningRule } from '../../src/domain/rules/earning-rule';

const bangkok = 'Asia/Bangkok';
const rule = (overrides: Partial<EarningRule>): EarningRule => ({ ...ruleTemplates.purchase!, id: 'r', active: true, ...overrides });
const order = (revenue: unknown, timestampMs = Date.parse('2026-05-01T05:00:00Z')) => ({ name: 'Order Completed', type: 'track', properties: { revenue }, timestampMs });

describe('earning rules', () => {
  it('gives points per amount with the rule rounding, without float surprises', () => {
    expect(basePoints(rule({}), order(350))).toBe(14);
    expect(basePoints(rule({}), order(74.99))).toBe(2);
    expect(basePoints(rule({}), order('100'))).toBe(4);
    expect(basePoints(rule({ award: { kind: 'per_amount', property: 'revenue', unitAmount: 0.1, pointsPerUnit: 1, rounding: 'floor' } }), order(0.3))).toBe(3);
    expect(basePoints(rule({ award: { kind: 'per_amount', property: 'revenue', unitAmount: 25, pointsPerUnit: 2, rounding: 'ceil' } }), order(26))).toBe(4);
    expect(basePoints(rule({ award: { kind: 'per_amount', property: 'revenue', unitAmount: 25, pointsPerUnit: 1, rounding: 'round' } }), order(37.5))).toBe(2);
    expect(basePoints(rule({}), order(undefined))).toBe(0);
    expect(basePoints(rule({}), order(-5))).toBe(0);
  });

  it('applies only inside the campaign window, when active and when conditions hold', () => {
    const at = Date.parse('2026-05-01T05:00:00Z');
    expect(basePoints(rule({ startsAtMs: at + 1 }), order(100, at))).toBe(0);
    expect(basePoints(rule({ endsAtMs: at }), order(100, at))).toBe(0);
    expect(basePoints(rule({ active: false }), order(100, at))).toBe(0);
    expect(basePoints(rule({ conditions: [{ property: 'revenue', op: 'gte', value: 500 }] }), order(100, at))).toBe(0);
  });

  it('counts per-day caps in the merchant time zone', () => {
    const capped = rule({ caps: { maxTimes: { count: 2, period: 'day' } } });
    // 16:30Z and 16:59Z on 1 May are 23:30 and 23:59 in Bangkok; 17:00Z is the next Bangkok day.
    const past = [{ points: 5, atMs: Date.parse('2026-05-01T16:30:00Z') }, { points: 5, atMs: Date.parse('2026-05-01T16:59:00Z') }];
    expect(cappedPoints(capped, 5, Date.parse('2026-05-01T16:59:30Z'), past, bangkok)).toBe(0);
    expect(cappedPoints(capped, 5, Date.parse('2026-05-01T17:00:00Z'), past, bangkok)).toBe(5);
    expect(cappedPoints(capped, 5, Date.parse('2026-05-01T17:00:00Z'), past, 'UTC')).toBe(0);
  });

  it('caps points per period, partially, and once per member', () => {
    const at = Date.parse('2026-05-10T05:00:00Z');
    expect(cappedPoints(rule({ caps: { maxPoints: { points: 100, period: 'month' } } }), 40, at, [{ points: 80, atMs: at - 1000 }], bangkok)).toBe(20);
    expect(cappedPoints(rule({ caps: { oncePerMember: true } }), 40, at, [{ points: 1, atMs: 0 }], bangkok)).toBe(0);
    expect(cappedPoints(rule({ caps: { oncePerMember: true } }), 40, at, [], bangkok)).toBe(40);
  });

  it('finds the start of a day, week or month in the zone, whatever order it is asked in (it remembers the last period)', () => {
    const zones = ['Asia/Bangkok', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'UTC'];
    const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') });
    // Runs of nearby instants (within a few days), as a batch of events asks, across DST changes and midnights.
    const question = fc.record({ period: fc.constantFrom<CapPeriod>('day', 'week', 'month'), zone: fc.constantFrom(...zones), atMs: instant, stepsMs: fc.array(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), { maxLength: 8 }) });
    fc.assert(fc.property(fc.array(question, { minLength: 1, maxLength: 20 }), (questions) => {
      for (const { period, zone, atMs, stepsMs } of questions) {
        for (const at of [atMs, ...stepsMs.map((step) => atMs + step)]) {
          expect(periodStartMs(period, at, zone)).toBe(DateTime.fromMillis(at, { zone }).startOf(period).toMillis());
        }
      }
    }), { numRuns: 200 });
    // 2027-01-01 00:00 in Bangkok is 2026-12-31T17:00Z: a moment before belongs to December.
    expect(periodStartMs('month', Date.parse('2026-12-31T16:59:59.999Z'), bangkok)).toBe(Date.parse('2026-11-30T17:00:00Z'));
    expect(periodStartMs('month', Date.parse('2026-12-31T17:00:00Z'), bangkok)).toBe(Date.parse('2026-12-31T17:00:00Z'));
  });
});
