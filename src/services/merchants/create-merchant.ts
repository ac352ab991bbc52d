import { DomainError } from '../../domain/errors';
import { isValidTimeZone } from '../../domain/ledger/expiry-policy';
import { findMerchantBySlug, insertMerchant } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { merchantView, type MerchantView } from './merchant-view';

export interface CreateMerchantInput {
  name: string;
  slug?: string;
  timeZone?: string;
  currency?: string;
}

function slugify(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || 'merchant';
}

/**
 * Creates a merchant with sensible defaults: Asia/Bangkok, THB, points that never expire,
 * claw-backs refused below zero, transfers of at least 1 point, 15-minute checkout holds, and
 * customers flagged at risk after 60 days without an event.
 * @example await createMerchant(ctx, { name: 'Kafe Sukhumvit' })
 */
export async function createMerchant(ctx: ServiceContext, input: CreateMerchantInput): Promise<MerchantView> {
  const timeZone = input.timeZone ?? 'Asia/Bangkok';
  if (!isValidTimeZone(timeZone)) throw new DomainError('invalid_request', `Unknown time zone "${timeZone}"`);
  const baseSlug = input.slug ?? slugify(input.name);
  let slug = baseSlug;
  for (let attempt = 2; await findMerchantBySlug(ctx.store.db, slug); attempt += 1) {
    if (input.slug) throw new DomainError('invalid_request', `The slug "${slug}" is taken`);
    slug = `${baseSlug}-${attempt}`;
  }
  const nowMs = ctx.nowMs();
  const row = {
    id: ctx.newId('mch'),
    slug,
    name: input.name,
    time_zone: timeZone,
    currency: input.currency ?? 'THB',
    expiry_policy: 'never',
    expiry_months: null,
    reversal_policy: 'refuse',
    transfer_min_points: 1,
    transfer_max_points: null,
    transfer_max_points_per_month: null,
    reservation_timeout_seconds: 900,
    at_risk_days: 60,
    channel_rules_json: '[]',
    website_url: null,
    line_channel_id: null,
    liff_id: null,
    referral_converts_on: 'first_order',
    referral_weekly_limit: 10,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  };
  await insertMerchant(ctx.store.db, row);
  return merchantView(row);
}
