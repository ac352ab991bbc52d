import { expiryPolicyFromRow } from '../../domain/merchants/merchant-settings';
import type { MerchantsTable } from '../../store/schema';

export interface MerchantView {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  currency: string;
  expiryPolicy: { kind: 'never' | 'months_after_earn' | 'end_of_year' | 'end_of_next_year'; months?: number };
  reversalPolicy: 'refuse' | 'allow_negative';
  transferLimits: { minPoints: number; maxPoints: number | null; maxPointsPerMonth: number | null };
  reservationTimeoutSeconds: number;
  atRiskDays: number;
  websiteUrl: string | null;
  /** The LINE Login channel whose ID tokens sign members in (LIFF); null when LINE sign-in is off. */
  lineChannelId: string | null;
  liffId: string | null;
  referralConvertsOn: 'signup' | 'first_order';
  referralWeeklyLimit: number;
  createdAt: string;
}

export function merchantView(row: MerchantsTable): MerchantView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timeZone: row.time_zone,
    currency: row.currency,
    expiryPolicy: expiryPolicyFromRow(row),
    reversalPolicy: row.reversal_policy as MerchantView['reversalPolicy'],
    transferLimits: { minPoints: row.transfer_min_points, maxPoints: row.transfer_max_points, maxPointsPerMonth: row.transfer_max_points_per_month },
    reservationTimeoutSeconds: row.reservation_timeout_seconds,
    atRiskDays: row.at_risk_days,
    websiteUrl: row.website_url,
    lineChannelId: row.line_channel_id,
    liffId: row.liff_id,
    referralConvertsOn: row.referral_converts_on as MerchantView['referralConvertsOn'],
    referralWeeklyLimit: row.referral_weekly_limit,
    createdAt: new Date(row.created_at_ms).toISOString(),
  };
}
