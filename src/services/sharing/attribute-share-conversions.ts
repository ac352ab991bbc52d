import type { Transaction } from 'kysely';
import { satangOf } from '../../domain/analytics/attribute-orders';
import type { IngestedEvent } from '../../domain/events/parse-segment-message';
import { listAnonymousIdsByPerson } from '../../store/identity-store';
import { findLatestCountedClick, findShareLink, findVisitorsWithCountedClicks, insertShareConversion } from '../../store/share-links-store';
import type { Database } from '../../store/schema';
import { awardMemberEvent } from '../rules/award-member-event';

export const shareConvertedEvent = 'Share Converted';
/** A sign-up or order counts for the share link its person clicked within this long before. */
export const shareAttributionWindowMs = 30 * 86_400_000;
const conversionKinds: Record<string, 'signup' | 'order'> = { 'Signed Up': 'signup', 'Order Completed': 'order' };

/** A sign-up or an order: what a share link or a referral can be credited with. */
export function isConversion(event: IngestedEvent): boolean {
  return event.type === 'track' && event.eventName !== null && event.eventName in conversionKinds;
}

/**
 * In the ingest transaction: a sign-up or an order by someone whose anonymous ids clicked a shared
 * link (counted clicks only) in the last 30 days is that link's conversion, once per event, and
 * earns the sharer what the `Share Converted` rules give — never when the sharer converts themselves.
 * @returns whether any award was written
 */
export async function attributeShareConversions(trx: Transaction<Database>, merchantId: string,
  stored: readonly { id: string; event: IngestedEvent; personId: string | null }[], memberOfPerson: ReadonlyMap<string, string | null>, nowMs: number): Promise<boolean> {
  const candidates = stored.filter(({ event, personId }) => personId !== null && isConversion(event));
  if (candidates.length === 0) return false;
  // Read for the whole batch: each person's devices, and which of them clicked a shared link at all.
  const visitorsByPerson = await listAnonymousIdsByPerson(trx, merchantId, [...new Set(candidates.map(({ personId }) => personId as string))]);
  const clickers = await findVisitorsWithCountedClicks(trx, merchantId, [...new Set([...visitorsByPerson.values()].flat())],
    Math.min(...candidates.map(({ event }) => event.timestampMs - shareAttributionWindowMs)),
    Math.max(...candidates.map(({ event }) => Math.max(event.timestampMs, event.receivedAtMs))));
  let awarded = false;
  for (const { id: eventId, event, personId } of candidates) {
    const visitorIds = visitorsByPerson.get(personId as string) ?? [];
    if (!visitorIds.some((visitorId) => clickers.has(visitorId))) continue;
    const click = await findLatestCountedClick(trx, merchantId, visitorIds, event.timestampMs - shareAttributionWindowMs, Math.max(event.timestampMs, event.receivedAtMs));
    if (!click) continue;
    const link = await findShareLink(trx, merchantId, click.code);
    const memberId = memberOfPerson.get(personId as string) ?? null;
    if (!link?.member_id || link.member_id === memberId) continue;
    const kind = conversionKinds[event.eventName as string] as 'signup' | 'order';
    const revenueSatang = kind === 'order' ? satangOf(event.properties?.revenue) ?? satangOf(event.properties?.total) ?? 0 : 0;
    const isNew = await insertShareConversion(trx, { merchant_id: merchantId, event_id: eventId, code: link.code, kind, member_id: memberId, revenue_satang: revenueSatang, at_ms: event.timestampMs });
    if (!isNew) continue;
    const points = await awardMemberEvent(trx, merchantId, link.member_id, {
      name: shareConvertedEvent, properties: { kind, code: link.code, revenueSatang }, timestampMs: event.timestampMs, awardKey: `share-conversion-${eventId}`,
    }, nowMs);
    awarded ||= points > 0;
  }
  return awarded;
}
