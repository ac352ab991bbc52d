import { DomainError } from '../../domain/errors';
import { isValidTimeZone } from '../../domain/ledger/expiry-policy';
import { findMerchantById, updateMerchant } from '../../store/merchant-store';
import type { MerchantsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { merchantView, type MerchantView } from './merchant-view';

export interface MerchantSettingsPatch {
  name?: string | undefined;
  timeZone?: string | undefined;
  currency?: string | undefined;
  expiryPolicy?: MerchantView['expiryPolicy'] | undefined;
  reversalPolicy?: MerchantView['reversalPolicy'] | undefined;
  transferLimits?: Partial<MerchantView['transferLimits']> | undefined;
  reservationTimeoutSeconds?: number | undefined;
  atRiskDays?: number | undefined;
  websiteUrl?: string | null | undefined;
  lineChannelId?: string | null | undefined;
  liffId?: string | null | undefined;
  referralConvertsOn?: 'signup' | 'first_order' | undefined;
  referralWeeklyLimit?: number | undefined;
}

/**
 * Changes a merchant's profile and ledger policies. Policies apply to commands from now on:
 * lots already earned keep the expiry they were given.
 */
export async function updateMerchantSettings(ctx: ServiceContext, merchantId: string, patch: MerchantSettingsPatch): Promise<MerchantView> {
  const current = await findMerchantById(ctx.store.db, merchantId);
  if (!current) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
    throw new DomainError('invalid_request', `Unknown time zone "${patch.timeZone}"`);
  }
  if (patch.expiryPolicy?.kind === 'months_after_earn' && !patch.expiryPolicy.months) {
    throw new DomainError('invalid_request', 'expiryPolicy.months is required for months_after_earn');
  }
  const changes: Partial<MerchantsTable> = { updated_at_ms: ctx.nowMs() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.timeZone !== undefined) changes.time_zone = patch.timeZone;
  if (patch.currency !== undefined) changes.currency = patch.currency;
  if (patch.expiryPolicy !== undefined) {
    changes.expiry_policy = patch.expiryPolicy.kind;
    changes.expiry_months = patch.expiryPolicy.kind === 'months_after_earn' ? patch.expiryPolicy.months ?? null : null;
  }
  if (patch.reversalPolicy !== undefined) changes.reversal_policy = patch.reversalPolicy;
  if (patch.transferLimits?.minPoints !== undefined) changes.transfer_min_points = patch.transferLimits.minPoints;
  if (patch.transferLimits?.maxPoints !== undefined) changes.transfer_max_points = patch.transferLimits.maxPoints;
  if (patch.transferLimits?.maxPointsPerMonth !== undefined) changes.transfer_max_points_per_month = patch.transferLimits.maxPointsPerMonth;
  if (patch.reservationTimeoutSeconds !== undefined) changes.reservation_timeout_seconds = patch.reservationTimeoutSeconds;
  if (patch.atRiskDays !== undefined) changes.at_risk_days = patch.atRiskDays;
  if (patch.websiteUrl !== undefined) changes.website_url = patch.websiteUrl;
  if (patch.lineChannelId !== undefined) changes.line_channel_id = patch.lineChannelId;
  if (patch.liffId !== undefined) changes.liff_id = patch.liffId;
  if (patch.referralConvertsOn !== undefined) changes.referral_converts_on = patch.referralConvertsOn;
  if (patch.referralWeeklyLimit !== undefined) changes.referral_weekly_limit = patch.referralWeeklyLimit;
  await updateMerchant(ctx.store.db, merchantId, changes);
  return merchantView({ ...current, ...changes } as MerchantsTable);
}
