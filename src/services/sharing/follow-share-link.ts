import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import { findMergedPersonIds, findPersonOfMember, listAnonymousIdsOfPeople } from '../../store/identity-store';
import { retryOnConflict } from '../../store/retry';
import { findShareLinkByCode, hasCountedClick, insertShareClick } from '../../store/share-links-store';
import type { ServiceContext } from '../context';
import { ingestEvents } from '../events/ingest-events';
import { awardMemberEvent } from '../rules/award-member-event';
import { scheduleAwards } from '../rules/schedule-awards';

export const shareClickedEvent = 'Share Link Clicked';
/** The visitor's own event: a different name, so opening a link never earns the opener points. */
export const shareOpenedEvent = 'Share Link Opened';
const visitorIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Someone opened a share link: the click is recorded, and it counts for the sharer (points by the
 * `Share Link Clicked` rules, capped per day by the rule) only when it is not the sharer's own
 * device and the first from this visitor. The visitor keeps an anonymous id in a cookie; their click
 * becomes an event under it, so a later sign-up or order from that id is credited to the sharer.
 * @returns where to send the visitor, and the visitor id to keep in the cookie
 */
export async function followShareLink(ctx: ServiceContext, code: string, visitorIdFromCookie: string | null): Promise<{ location: string; visitorId: string; counted: boolean }> {
  const db = ctx.store.db;
  const link = await findShareLinkByCode(db, code.toUpperCase());
  if (!link) throw new DomainError('not_found', 'This link does not exist');
  const merchantId = link.merchant_id;
  const visitorId = visitorIdFromCookie && visitorIdPattern.test(visitorIdFromCookie) ? visitorIdFromCookie : `sv_${randomUUID().replaceAll('-', '')}`;
  let reason: string | null = null;
  if (link.member_id) {
    const sharer = await findPersonOfMember(db, merchantId, link.member_id);
    const sharerDevices = sharer ? await listAnonymousIdsOfPeople(db, merchantId, await findMergedPersonIds(db, merchantId, sharer.id)) : [];
    if (sharerDevices.includes(visitorId)) reason = 'own_click';
  } else reason = 'no_sharer';
  const nowMs = ctx.nowMs();
  const clickId = ctx.newId('clk');
  const counted = await retryOnConflict(ctx.store.dialect, () => db.transaction().execute(async (trx) => {
    let notCounted = reason;
    if (notCounted === null && (await hasCountedClick(trx, merchantId, link.code, visitorId))) notCounted = 'repeat_visitor';
    await insertShareClick(trx, { merchant_id: merchantId, id: clickId, code: link.code, visitor_id: visitorId, counted: notCounted === null ? 1 : 0, not_counted_because: notCounted, at_ms: nowMs });
    if (notCounted === null && link.member_id) {
      await awardMemberEvent(trx, merchantId, link.member_id, { name: shareClickedEvent, properties: { code: link.code }, timestampMs: nowMs, awardKey: `share-click-${clickId}` }, nowMs);
    }
    return notCounted === null;
  }));
  const target = new URL(link.target_url);
  target.searchParams.set('utm_source', 'sentang');
  target.searchParams.set('utm_medium', 'share');
  target.searchParams.set('utm_campaign', link.campaign ?? 'share');
  target.searchParams.set('sref', link.code);
  // Off the visitor's path: the points, the sharer's `Share Link Clicked` event (keyed like the award,
  // so it adds none), and the visitor's own event (Awareness, and a Share Link touch).
  ctx.background.track((async () => {
    if (counted) await scheduleAwards(ctx, merchantId);
    const sharer = counted && link.member_id ? await findPersonOfMember(db, merchantId, link.member_id) : undefined;
    if (sharer?.user_id) {
      await ingestEvents(ctx, merchantId, [{
        type: 'track', event: shareClickedEvent, userId: sharer.user_id, messageId: `share-click-${clickId}`, timestamp: new Date(nowMs).toISOString(),
        properties: { code: link.code, visitorId },
      }], null);
    }
    await ingestEvents(ctx, merchantId, [{
      type: 'track', event: shareOpenedEvent, anonymousId: visitorId, timestamp: new Date(nowMs).toISOString(),
      properties: { code: link.code, sharerMemberId: link.member_id, counted },
      context: { campaign: { source: 'sentang', medium: 'share', name: link.campaign ?? 'share' }, page: { url: target.toString() } },
    }], null);
  })().catch((error: unknown) => ctx.logger.warn({ err: error, code: link.code }, 'could not record a share click')), 'share click follow-up');
  return { location: target.toString(), visitorId, counted };
}
