import { DomainError } from '../../domain/errors';
import { retryOnConflict } from '../../store/retry';
import { findUgcItem, listUgcRows, lockUgcItem, updateUgcItem } from '../../store/ugc-store';
import type { UgcItemsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { ingestEvents } from '../events/ingest-events';
import { userIdForMember } from '../identity/user-id-for-member';
import { awardMemberEvent } from '../rules/award-member-event';
import { scheduleAwards } from '../rules/schedule-awards';
import { ugcView, type UgcView } from './ugc-views';

export const ugcApprovedEvent = 'UGC Approved';

export async function listUgc(ctx: ServiceContext, merchantId: string, options: { status?: UgcView['status'] | undefined; memberId?: string | undefined; cursor?: string | undefined; limit: number }): Promise<{ items: UgcView[]; nextCursor: string | null }> {
  const rows = await listUgcRows(ctx.store.db, merchantId, { status: options.status, memberId: options.memberId, afterId: options.cursor, limit: options.limit + 1 });
  const page = rows.slice(0, options.limit);
  return { items: page.map(ugcView), nextCursor: rows.length > options.limit ? (page[page.length - 1] as UgcItemsTable).id : null };
}

export async function getUgc(ctx: ServiceContext, merchantId: string, itemId: string): Promise<UgcView> {
  const row = await findUgcItem(ctx.store.db, merchantId, itemId);
  if (!row) throw new DomainError('ugc_not_found', `No content ${itemId}`);
  return ugcView(row);
}

async function decide(ctx: ServiceContext, merchantId: string, itemId: string, status: 'approved' | 'rejected', reason: string | null): Promise<UgcItemsTable> {
  return retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockUgcItem(trx, ctx.store.dialect, merchantId, itemId);
    if (!row) throw new DomainError('ugc_not_found', `No content ${itemId}`);
    if (row.status !== 'pending') throw new DomainError('ugc_already_decided', `This content was ${row.status}`, { status: row.status });
    const nowMs = ctx.nowMs();
    const changes = { status, decided_at_ms: nowMs, decision_reason: reason };
    await updateUgcItem(trx, merchantId, itemId, changes);
    // Points by the merchant's `UGC Approved` rules, in the same transaction, keyed by the content.
    if (status === 'approved') {
      await awardMemberEvent(trx, merchantId, row.member_id, { name: ugcApprovedEvent, properties: { kind: row.kind, ugcId: row.id, productId: row.product_id }, timestampMs: nowMs, awardKey: `ugc-${row.id}` }, nowMs);
    }
    return { ...row, ...changes };
  }));
}

/** Approves content: it can appear in the public feed (if its author consents), earns points by rule and counts toward Advocacy. */
export async function approveUgc(ctx: ServiceContext, merchantId: string, itemId: string): Promise<UgcView> {
  const row = await decide(ctx, merchantId, itemId, 'approved', null);
  await scheduleAwards(ctx, merchantId);
  // The event for the journey (Advocacy) and analytics; its message id is the award key, so the
  // rules, which already paid above, do not pay again.
  await userIdForMember(ctx, merchantId, row.member_id)
    .then((userId) => ingestEvents(ctx, merchantId, [{
      type: 'track', event: ugcApprovedEvent, userId, messageId: `ugc-${row.id}`, timestamp: new Date(ctx.nowMs()).toISOString(),
      properties: { kind: row.kind, ugcId: row.id, productId: row.product_id },
    }], null))
    .catch((error: unknown) => ctx.logger.warn({ err: error, ugcId: row.id }, 'could not record UGC Approved'));
  return ugcView(row);
}

export async function rejectUgc(ctx: ServiceContext, merchantId: string, itemId: string, reason: string): Promise<UgcView> {
  return ugcView(await decide(ctx, merchantId, itemId, 'rejected', reason));
}

/** The author takes back their consent: the content leaves the public feed at once. */
export async function withdrawUgcConsent(ctx: ServiceContext, merchantId: string, itemId: string): Promise<UgcView> {
  const row = await findUgcItem(ctx.store.db, merchantId, itemId);
  if (!row) throw new DomainError('ugc_not_found', `No content ${itemId}`);
  await updateUgcItem(ctx.store.db, merchantId, itemId, { consent: 0 });
  return ugcView({ ...row, consent: 0 });
}
