// Earning rules: which events earn points, how many, and within which caps. Pure; calendar periods
// are counted in the merchant's time zone.
import { eventMatches, type JourneyEvent, type PropertyCondition } from '../journey/stage-rules';
import { periodStartMs, type CapPeriod } from '../zoned-periods';

export type { CapPeriod } from '../zoned-periods';
export { periodStartMs } from '../zoned-periods';

export type Rounding = 'floor' | 'round' | 'ceil';

export type Award =
  | { kind: 'fixed'; points: number }
  /** `pointsPerUnit` for every `unitAmount` of the property's amount (in the currency, e.g. 25 THB). */
  | { kind: 'per_amount'; property: string; unitAmount: number; pointsPerUnit: number; rounding: Rounding };

export interface EarningRule {
  id: string;
  name: string;
  event: string;
  conditions: PropertyCondition[];
  award: Award;
  caps: {
    oncePerMember?: boolean | undefined;
    maxTimes?: { count: number; period: CapPeriod } | undefined;
    maxPoints?: { points: number; period: CapPeriod } | undefined;
  };
  startsAtMs: number | null;
  endsAtMs: number | null;
  pendingDays: number;
  /** Overrides the merchant's expiry policy: points expire this many days after they become available. */
  expiresInDays: number | null;
  active: boolean;
}

/** An award this rule already gave the member (or has pending), for the caps. */
export interface PastAward {
  points: number;
  atMs: number;
}

function amountOf(properties: Record<string, unknown> | null, property: string): number | null {
  const value = properties?.[property];
  const amount = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(amount) && amount > 0 ? amount : null;
}

/** Points the event earns by this rule before caps; 0 when the rule does not apply. */
export function basePoints(rule: EarningRule, event: JourneyEvent): number {
  if (!rule.active) return 0;
  if (rule.startsAtMs !== null && event.timestampMs < rule.startsAtMs) return 0;
  if (rule.endsAtMs !== null && event.timestampMs >= rule.endsAtMs) return 0;
  if (!eventMatches({ event: rule.event, conditions: rule.conditions }, event)) return 0;
  if (rule.award.kind === 'fixed') return rule.award.points;
  const amount = amountOf(event.properties, rule.award.property);
  if (amount === null) return 0;
  // Work in hundredths so 0.1 + 0.2 style errors never move a rounding boundary.
  const units = Math.round(amount * 100) / Math.round(rule.award.unitAmount * 100);
  const rounded = rule.award.rounding === 'floor' ? Math.floor(units + 1e-9) : rule.award.rounding === 'ceil' ? Math.ceil(units - 1e-9) : Math.round(units);
  return rounded * rule.award.pointsPerUnit;
}

/** What is left of `points` after the rule's caps, given what it already gave the member. */
export function cappedPoints(rule: EarningRule, points: number, atMs: number, past: readonly PastAward[], timeZone: string): number {
  if (points <= 0) return 0;
  if (rule.caps.oncePerMember && past.length > 0) return 0;
  let allowed = points;
  if (rule.caps.maxTimes) {
    const fromMs = periodStartMs(rule.caps.maxTimes.period, atMs, timeZone);
    const times = past.filter((award) => award.atMs >= fromMs && award.atMs <= atMs).length;
    if (times >= rule.caps.maxTimes.count) return 0;
  }
  if (rule.caps.maxPoints) {
    const fromMs = periodStartMs(rule.caps.maxPoints.period, atMs, timeZone);
    const given = past.filter((award) => award.atMs >= fromMs && award.atMs <= atMs).reduce((sum, award) => sum + award.points, 0);
    allowed = Math.min(allowed, Math.max(0, rule.caps.maxPoints.points - given));
  }
  return allowed;
}

/** Ready-made rules a merchant can start from. */
export const ruleTemplates: Record<string, Omit<EarningRule, 'id' | 'active'>> = {
  purchase: { name: '1 point per 25 THB', event: 'Order Completed', conditions: [], award: { kind: 'per_amount', property: 'revenue', unitAmount: 25, pointsPerUnit: 1, rounding: 'floor' }, caps: {}, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  first_purchase: { name: 'First purchase bonus', event: 'Order Completed', conditions: [], award: { kind: 'fixed', points: 100 }, caps: { oncePerMember: true }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  sign_up: { name: 'Welcome', event: 'Signed Up', conditions: [], award: { kind: 'fixed', points: 50 }, caps: { oncePerMember: true }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  product_review: { name: 'Review', event: 'Product Reviewed', conditions: [], award: { kind: 'fixed', points: 20 }, caps: { maxTimes: { count: 3, period: 'month' } }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  verified_share: { name: 'Share clicked by a friend', event: 'Share Link Clicked', conditions: [], award: { kind: 'fixed', points: 5 }, caps: { maxTimes: { count: 5, period: 'day' } }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  ugc_approved: { name: 'Photo or review approved', event: 'UGC Approved', conditions: [], award: { kind: 'fixed', points: 30 }, caps: { maxTimes: { count: 5, period: 'month' } }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  birthday: { name: 'Happy birthday', event: 'Birthday', conditions: [], award: { kind: 'fixed', points: 100 }, caps: {}, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: 30 },
  referral_converted: { name: 'Friend referred', event: 'Referral Converted', conditions: [], award: { kind: 'fixed', points: 200 }, caps: {}, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  share_converted: { name: 'A friend signed up or ordered through your link', event: 'Share Converted', conditions: [], award: { kind: 'fixed', points: 50 }, caps: { maxTimes: { count: 10, period: 'month' } }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
  referral_accepted: { name: 'Welcome, referred friend', event: 'Referral Accepted', conditions: [], award: { kind: 'fixed', points: 100 }, caps: { oncePerMember: true }, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null },
};
