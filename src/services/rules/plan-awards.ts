import type { Transaction } from 'kysely';
import type { IngestedEvent } from '../../domain/events/parse-segment-message';
import { basePoints, cappedPoints, periodStartMs, type EarningRule, type PastAward } from '../../domain/rules/earning-rule';
import { findPeople } from '../../store/identity-store';
import { findMerchantById } from '../../store/merchant-store';
import { findEarnAwardsOfOrder, findPastAwardsOfPairs, insertAwards, listRules } from '../../store/rules-store';
import { findMemberTiers, findTierProgram } from '../../store/tier-store';
import type { Database, PointAwardsTable } from '../../store/schema';

const dayMs = 86_400_000;
const refundEvents = new Set(['Order Refunded', 'Order Cancelled']);

function orderIdOf(properties: Record<string, unknown> | null): string | null {
  const value = properties?.order_id ?? properties?.orderId;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function hasCaps(rule: EarningRule): boolean {
  return Boolean(rule.caps.oncePerMember || rule.caps.maxTimes || rule.caps.maxPoints);
}

/** The earliest instant any cap of the rule looks back to. */
export function capWindowStartMs(rule: EarningRule, atMs: number, timeZone: string): number {
  if (rule.caps.oncePerMember) return Number.NEGATIVE_INFINITY;
  const starts = [rule.caps.maxTimes, rule.caps.maxPoints].flatMap((cap) => (cap ? [periodStartMs(cap.period, atMs, timeZone)] : []));
  return starts.length > 0 ? Math.min(...starts) : atMs;
}

/**
 * Decides, in the ingest transaction, what members' events earn by the merchant's rules (and which
 * earns a refund takes back), and writes those awards to the outbox. The id of an award is the rule
 * and the message, so a redelivered event can never award twice. Events of people who are not
 * members (anonymous) earn nothing. @returns the members the events belong to
 */
export async function planAwards(trx: Transaction<Database>, merchantId: string, stored: readonly { id: string; event: IngestedEvent; personId: string | null }[], nowMs: number): Promise<string[]> {
  const people = await findPeople(trx, merchantId, [...new Set(stored.flatMap(({ personId }) => (personId ? [personId] : [])))]);
  const memberOf = new Map(people.map((person) => [person.id, person.member_id]));
  const memberIds = [...new Set(people.flatMap((person) => (person.member_id ? [person.member_id] : [])))];
  const rules = await listRules(trx, merchantId, true);
  const hasRefunds = stored.some(({ event }) => event.eventName !== null && refundEvents.has(event.eventName));
  if ((rules.length === 0 && !hasRefunds) || memberIds.length === 0) return memberIds;
  const merchant = await findMerchantById(trx, merchantId);
  if (!merchant) return memberIds;
  // Tier multipliers: a member's tier scales what every rule gives them.
  const program = await findTierProgram(trx, merchantId);
  const memberTiers = program ? await findMemberTiers(trx, merchantId, memberIds) : [];
  const multiplierOf = (memberId: string) => {
    const key = memberTiers.find((row) => row.member_id === memberId)?.tier_key ?? program?.tiers[0]?.key;
    return program?.tiers.find((tier) => tier.key === key)?.multiplierPercent ?? 100;
  };
  const planned: PointAwardsTable[] = [];
  const inOrder = [...stored].sort((a, b) => a.event.timestampMs - b.event.timestampMs);
  const journeyEventOf = (event: IngestedEvent) => ({ name: event.eventName ?? event.type, type: event.type, properties: event.properties, timestampMs: event.timestampMs });
  // What each capped rule already gave each member, read for the whole batch at once: from the
  // start of the cap window of the pair's earliest event in this batch.
  const pairs = new Map<string, { memberId: string; ruleId: string; sinceMs: number }>();
  for (const { event, personId } of inOrder) {
    const memberId = personId ? memberOf.get(personId) ?? null : null;
    if (!memberId || (event.eventName !== null && refundEvents.has(event.eventName))) continue;
    for (const rule of rules) {
      const key = `${memberId}:${rule.id}`;
      if (!hasCaps(rule) || pairs.has(key) || Math.floor((basePoints(rule, journeyEventOf(event)) * multiplierOf(memberId)) / 100) <= 0) continue;
      pairs.set(key, { memberId, ruleId: rule.id, sinceMs: capWindowStartMs(rule, event.timestampMs, merchant.time_zone) });
    }
  }
  const pastByKey: Map<string, PastAward[]> = await findPastAwardsOfPairs(trx, merchantId, [...pairs.values()]);

  for (const { id: eventId, event, personId } of inOrder) {
    const memberId = personId ? memberOf.get(personId) ?? null : null;
    if (!memberId) continue;
    const orderId = orderIdOf(event.properties);
    if (event.eventName !== null && refundEvents.has(event.eventName) && orderId) {
      for (const earned of await findEarnAwardsOfOrder(trx, merchantId, orderId)) {
        planned.push({
          ...earned, id: `reverse:${earned.id}`, kind: 'reverse', event_id: eventId, event_at_ms: event.timestampMs, reverses_award_id: earned.id,
          status: 'pending', transaction_id: null, failure: null, created_at_ms: nowMs,
        });
      }
      continue;
    }
    const journeyEvent = journeyEventOf(event);
    for (const rule of rules) {
      const points = Math.floor((basePoints(rule, journeyEvent) * multiplierOf(memberId)) / 100);
      if (points <= 0) continue;
      // A rule without caps gives what it gives, whatever came before.
      const past = pastByKey.get(`${memberId}:${rule.id}`) ?? [];
      const awarded = cappedPoints(rule, points, event.timestampMs, past, merchant.time_zone);
      if (awarded <= 0) continue;
      past.push({ points: awarded, atMs: event.timestampMs });
      const availableAtMs = Math.max(nowMs, event.timestampMs + rule.pendingDays * dayMs);
      planned.push({
        merchant_id: merchantId, id: `${rule.id}:${event.messageId}`, kind: 'earn', rule_id: rule.id, member_id: memberId, points: awarded,
        event_id: eventId, order_id: orderId, event_at_ms: event.timestampMs, available_at_ms: availableAtMs,
        expires_at_ms: rule.expiresInDays === null ? null : availableAtMs + rule.expiresInDays * dayMs,
        reverses_award_id: null, status: 'pending', transaction_id: null, failure: null, created_at_ms: nowMs,
      });
    }
  }
  await insertAwards(trx, planned);
  return memberIds;
}
