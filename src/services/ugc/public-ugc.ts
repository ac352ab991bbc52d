import { DomainError } from '../../domain/errors';
import { findMemberById } from '../../store/member-store';
import { findMerchantBySlug } from '../../store/merchant-store';
import { findUgcItem, findUpload, listPublicUgc } from '../../store/ugc-store';
import type { ServiceContext } from '../context';
import { uploadPath } from './upload-ugc-media';

export interface PublicUgc {
  id: string;
  kind: string;
  mediaPath: string | null;
  mediaUrl: string | null;
  postUrl: string | null;
  rating: number | null;
  text: string | null;
  productId: string | null;
  author: string;
  approvedAt: string;
}

/** The first name only: enough for social proof, not enough to find someone. */
function displayName(name: string | null): string {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : 'A customer';
}

async function merchantOf(ctx: ServiceContext, slug: string) {
  const merchant = await findMerchantBySlug(ctx.store.db, slug);
  if (!merchant) throw new DomainError('not_found', 'No such shop');
  return merchant;
}

/** Approved content whose authors consent to show it, newest first, for the merchant's site. */
export async function publicUgcFeed(ctx: ServiceContext, slug: string, options: { productId?: string | undefined; limit: number }): Promise<{ items: PublicUgc[] }> {
  const merchant = await merchantOf(ctx, slug);
  const rows = await listPublicUgc(ctx.store.db, merchant.id, options);
  const items: PublicUgc[] = [];
  for (const row of rows) {
    const member = await findMemberById(ctx.store.db, merchant.id, row.member_id);
    items.push({
      id: row.id, kind: row.kind, mediaPath: row.upload_id ? `/public/${slug}/ugc/${row.id}/media` : null, mediaUrl: row.media_url, postUrl: row.post_url,
      rating: row.rating, text: row.text, productId: row.product_id, author: displayName(member?.name ?? null), approvedAt: new Date(row.decided_at_ms as number).toISOString(),
    });
  }
  return { items };
}

/** The file of an uploaded photo or video, only while it is approved and consented. */
export async function publicUgcMedia(ctx: ServiceContext, slug: string, itemId: string): Promise<{ filePath: string; mediaType: string }> {
  const merchant = await merchantOf(ctx, slug);
  const row = await findUgcItem(ctx.store.db, merchant.id, itemId);
  if (!row || row.status !== 'approved' || row.consent !== 1 || !row.upload_id) throw new DomainError('not_found', 'No such content');
  const upload = await findUpload(ctx.store.db, merchant.id, row.upload_id);
  if (!upload) throw new DomainError('not_found', 'No such content');
  return { filePath: uploadPath(ctx, merchant.id, upload.file_name), mediaType: upload.media_type };
}
