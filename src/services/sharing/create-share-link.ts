import { randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import { couponCodeFrom } from '../../domain/rewards/reward';
import { findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import { insertShareLink } from '../../store/share-links-store';
import type { ShareLinksTable } from '../../store/schema';
import type { ServiceContext } from '../context';

export interface ShareLinkView { code: string; path: string; memberId: string | null; targetUrl: string; campaign: string | null; createdAt: string }

export function shareLinkView(row: ShareLinksTable): ShareLinkView {
  return { code: row.code, path: `/s/${row.code}`, memberId: row.member_id, targetUrl: row.target_url, campaign: row.campaign, createdAt: new Date(row.created_at_ms).toISOString() };
}

/** Is the host the website's, or one of its subdomains? Links may lead only there (no open redirect). */
export function isOnWebsite(target: URL, website: URL): boolean {
  const site = website.hostname.replace(/^www\./, '');
  return target.hostname === site || target.hostname.endsWith(`.${site}`);
}

/**
 * A short link `/s/{code}` to a page of the merchant's website, shared by a member (or by anyone,
 * for a product page). Only pages of the merchant's `websiteUrl` may be targets.
 */
export async function createShareLink(ctx: ServiceContext, merchantId: string, input: { url: string; memberId?: string | undefined; campaign?: string | undefined }): Promise<ShareLinkView> {
  const db = ctx.store.db;
  const merchant = await findMerchantById(db, merchantId);
  if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  if (input.memberId && !(await findMemberById(db, merchantId, input.memberId))) throw new DomainError('member_not_found', `No member ${input.memberId}`);
  if (!merchant.website_url) throw new DomainError('invalid_request', 'Set the merchant websiteUrl first: share links may only lead to its pages');
  const target = new URL(input.url);
  if (!isOnWebsite(target, new URL(merchant.website_url))) throw new DomainError('invalid_request', `Share links may only lead to pages of ${new URL(merchant.website_url).hostname}`);
  for (let attempt = 0; ; attempt += 1) {
    const row: ShareLinksTable = {
      merchant_id: merchantId, code: couponCodeFrom(randomBytes(10)), member_id: input.memberId ?? null, target_url: target.toString(),
      campaign: input.campaign ?? null, created_at_ms: ctx.nowMs(),
    };
    try {
      await insertShareLink(db, row);
      return shareLinkView(row);
    } catch (error) {
      if (attempt >= 3 || !ctx.store.dialect.isUniqueViolation(error)) throw error;
    }
  }
}
