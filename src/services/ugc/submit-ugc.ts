import { DomainError } from '../../domain/errors';
import { isSocialPostUrl, mediaLimits, type MediaType } from '../../domain/ugc/media';
import { findMemberById } from '../../store/member-store';
import { findUpload, insertUgcItem } from '../../store/ugc-store';
import type { ServiceContext } from '../context';
import { ugcView, type UgcKind, type UgcView } from './ugc-views';

export interface UgcSubmission {
  memberId: string;
  kind: UgcKind;
  uploadId?: string | undefined;
  mediaUrl?: string | undefined;
  postUrl?: string | undefined;
  rating?: number | undefined;
  text?: string | undefined;
  productId?: string | undefined;
  consent: boolean;
}

/** A member submits a photo, video, review or social post; it waits for moderation. */
export async function submitUgc(ctx: ServiceContext, merchantId: string, input: UgcSubmission): Promise<UgcView> {
  const db = ctx.store.db;
  if (!(await findMemberById(db, merchantId, input.memberId))) throw new DomainError('member_not_found', `No member ${input.memberId}`);
  if (input.kind === 'photo' || input.kind === 'video') {
    if ((input.uploadId === undefined) === (input.mediaUrl === undefined)) throw new DomainError('invalid_request', `A ${input.kind} needs either uploadId or mediaUrl`);
    if (input.uploadId !== undefined) {
      const upload = await findUpload(db, merchantId, input.uploadId);
      if (!upload) throw new DomainError('invalid_request', `No upload ${input.uploadId}`);
      if (mediaLimits[upload.media_type as MediaType].kind !== input.kind) throw new DomainError('invalid_request', `Upload ${input.uploadId} is a ${upload.media_type}, not a ${input.kind}`);
    }
    if (input.mediaUrl !== undefined && new URL(input.mediaUrl).protocol !== 'https:') throw new DomainError('invalid_request', 'mediaUrl must be https');
  }
  if (input.kind === 'review' && input.rating === undefined) throw new DomainError('invalid_request', 'A review needs a rating from 1 to 5');
  if (input.kind === 'social_post' && (input.postUrl === undefined || !isSocialPostUrl(new URL(input.postUrl)))) {
    throw new DomainError('invalid_request', 'A social post needs postUrl: an https link to a public post on Facebook, Instagram, TikTok, X, YouTube, Threads, LINE or Pantip');
  }
  const row = {
    merchant_id: merchantId, id: ctx.newId('ugc'), member_id: input.memberId, kind: input.kind, status: 'pending', upload_id: input.uploadId ?? null,
    media_url: input.mediaUrl ?? null, post_url: input.postUrl ?? null, rating: input.rating ?? null, text: input.text ?? null,
    product_id: input.productId ?? null, consent: input.consent ? 1 : 0, submitted_at_ms: ctx.nowMs(), decided_at_ms: null, decision_reason: null,
  };
  try {
    await insertUgcItem(db, row);
  } catch (error) {
    if (ctx.store.dialect.isUniqueViolation(error)) throw new DomainError('invalid_request', `Upload ${input.uploadId} belongs to another submission`);
    throw error;
  }
  return ugcView(row);
}
