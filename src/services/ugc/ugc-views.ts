import type { UgcItemsTable } from '../../store/schema';

export type UgcKind = 'photo' | 'video' | 'review' | 'social_post';
export const ugcKinds = ['photo', 'video', 'review', 'social_post'] as const;

export interface UgcView {
  id: string;
  memberId: string;
  kind: UgcKind;
  status: 'pending' | 'approved' | 'rejected';
  uploadId: string | null;
  mediaUrl: string | null;
  postUrl: string | null;
  rating: number | null;
  text: string | null;
  productId: string | null;
  consent: boolean;
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
}

export function ugcView(row: UgcItemsTable): UgcView {
  return {
    id: row.id, memberId: row.member_id, kind: row.kind as UgcKind, status: row.status as UgcView['status'], uploadId: row.upload_id,
    mediaUrl: row.media_url, postUrl: row.post_url, rating: row.rating, text: row.text, productId: row.product_id, consent: row.consent === 1,
    submittedAt: new Date(row.submitted_at_ms).toISOString(), decidedAt: row.decided_at_ms === null ? null : new Date(row.decided_at_ms).toISOString(),
    decisionReason: row.decision_reason,
  };
}
