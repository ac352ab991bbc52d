import { DomainError } from '../../domain/errors';
import { maxMessageBytes, parseSegmentMessage, type IngestedEvent, type SegmentMessageType } from '../../domain/events/parse-segment-message';
import { findStoredMessageIds, insertEvents } from '../../store/event-store';
import { retryOnConflict } from '../../store/retry';
import type { ServiceContext } from '../context';
import { PersonResolver } from '../identity/resolve-person';
import { advanceJourney } from '../journey/advance-journey';
import { planAwards } from '../rules/plan-awards';
import { scheduleAwards } from '../rules/schedule-awards';
import { upgradeTiers } from '../tiers/upgrade-tiers';
import { convertReferralsOnOrders } from '../referrals/convert-referral';
import { afterConversion } from '../referrals/create-referral';
import { attributeShareConversions, isConversion } from '../sharing/attribute-share-conversions';
import { findPeople } from '../../store/identity-store';
import type { ReferralsTable } from '../../store/schema';
import type { Settled } from '../group-commit-queue';

export interface IngestResult {
  received: number;
  /** Messages stored now; the rest were already stored (same messageId). */
  stored: number;
}

/** One request's messages, parsed, as they wait to be stored. */
export type ParsedBatch = { id: string; event: IngestedEvent }[];

/**
 * Stores Segment messages for a merchant, stitches each to its person (and member), moves people
 * along the journey and decides the points they earn. A batch is taken whole or not at all: when
 * any message is malformed or over 32 KB, nothing is stored and the error lists the index and
 * reason of each. On SQLite, batches that arrive together share one transaction (ctx.ingest, a group
 * commit; dialect.ingestGroups says how many and how big).
 * @example await ingestEvents(ctx, merchantId, [{ type: 'track', event: 'Order Completed', userId: 'u1' }], null)
 */
export async function ingestEvents(ctx: ServiceContext, merchantId: string, messages: unknown[], type: SegmentMessageType | null, batchSentAt?: unknown): Promise<IngestResult> {
  const batch = parseBatch(ctx, messages, type, batchSentAt);
  return { received: messages.length, stored: await ctx.ingest.submit(merchantId, batch) };
}

function parseBatch(ctx: ServiceContext, messages: unknown[], type: SegmentMessageType | null, batchSentAt: unknown): ParsedBatch {
  const receivedAtMs = ctx.nowMs();
  const problems: { index: number; reason: string }[] = [];
  const events: ParsedBatch = [];
  messages.forEach((message, index) => {
    if (Buffer.byteLength(JSON.stringify(message) ?? '', 'utf8') > maxMessageBytes) {
      problems.push({ index, reason: `the message is larger than ${maxMessageBytes / 1024} KB` });
      return;
    }
    const parsed = parseSegmentMessage(message, type, { receivedAtMs, batchSentAt, newMessageId: () => ctx.newId('msg') });
    if (parsed.ok) events.push({ id: ctx.newId('evt'), event: parsed.event });
    else problems.push({ index, reason: parsed.reason });
  });
  if (problems.length > 0) {
    const first = problems[0] as { index: number; reason: string };
    throw new DomainError('invalid_request', type === null ? `message ${first.index}: ${first.reason}` : first.reason, { messages: problems });
  }
  return events;
}

/**
 * The group-commit runner for ingestion: stores several requests' batches of one merchant in one
 * transaction, each batch's count apart. When that transaction fails, each batch runs alone, so
 * one bad batch never fails the others.
 */
export async function storeEventBatches(ctx: ServiceContext, merchantId: string, batches: ParsedBatch[]): Promise<Settled<number>[]> {
  try {
    return (await storeTogether(ctx, merchantId, batches)).map((stored) => ({ ok: true, value: stored }));
  } catch (error) {
    if (batches.length === 1) return [{ ok: false, error }];
    ctx.logger.warn({ err: error, batches: batches.length }, 'an ingest group failed; storing its batches one by one');
    const outcomes: Settled<number>[] = [];
    for (const batch of batches) {
      try {
        outcomes.push({ ok: true, value: (await storeTogether(ctx, merchantId, [batch]))[0] as number });
      } catch (batchError) {
        outcomes.push({ ok: false, error: batchError });
      }
    }
    return outcomes;
  }
}

/** One transaction for all the batches: how many events of each were new. */
async function storeTogether(ctx: ServiceContext, merchantId: string, batches: ParsedBatch[]): Promise<number[]> {
  // The latest arrival stands for the group's "now" (each event keeps its own receivedAt).
  const receivedAtMs = Math.max(...batches.flatMap((batch) => batch.map(({ event }) => event.receivedAtMs)), 0) || ctx.nowMs();
  const events = batches.flat();
  let membersSeen: string[] = [];
  let converted: ReferralsTable[] = [];
  // Two batches naming the same people can deadlock on PostgreSQL; the loser runs again.
  const storedPerBatch = await retryOnConflict(ctx.store.dialect, () => ctx.store.db.transaction().execute(async (trx) => {
    // A redelivered message changes nothing, not even who is who.
    const seen = await findStoredMessageIds(trx, merchantId, events.map(({ event }) => event.messageId));
    // In order: an identify early in a batch decides whose the later events are.
    const resolver = new PersonResolver(ctx, trx, merchantId);
    await resolver.prefetch(events.filter(({ event }) => !seen.has(event.messageId)).map(({ event }) => event));
    const withPeoplePerBatch: { id: string; event: IngestedEvent; personId: string | null }[][] = [];
    for (const batch of batches) {
      const withPeople: { id: string; event: IngestedEvent; personId: string | null }[] = [];
      for (const { id, event } of batch) {
        if (seen.has(event.messageId)) continue;
        seen.add(event.messageId);
        withPeople.push({ id, event, personId: await resolver.resolve(event) });
      }
      withPeoplePerBatch.push(withPeople);
    }
    await resolver.finish();
    const inserted: number[] = [];
    // A statement per batch keeps each batch's count exact (another transaction may store a duplicate first).
    for (const withPeople of withPeoplePerBatch) inserted.push(await insertEvents(trx, ctx.store.dialect, merchantId, withPeople));
    const withPeople = withPeoplePerBatch.flat();
    const entered = await advanceJourney(ctx, trx, merchantId, withPeople);
    membersSeen = await planAwards(trx, merchantId, [...withPeople, ...entered], receivedAtMs);
    // Sign-ups and orders may convert a referral or come through a share link: whose are they?
    const converting = withPeople.filter(({ event, personId }) => personId !== null && isConversion(event));
    if (converting.length > 0) {
      const people = await findPeople(trx, merchantId, [...new Set(converting.map(({ personId }) => personId as string))]);
      const memberOfPerson = new Map(people.map((person) => [person.id, person.member_id]));
      const orderingMembers = converting.flatMap(({ event, personId }) => {
        const memberId = memberOfPerson.get(personId as string);
        return event.eventName === 'Order Completed' && memberId ? [memberId] : [];
      });
      converted = await convertReferralsOnOrders(ctx, trx, merchantId, [...new Set(orderingMembers)], receivedAtMs);
      await attributeShareConversions(trx, merchantId, converting, memberOfPerson, receivedAtMs);
    }
    return inserted;
  }));
  // Points go to the ledger after the commit (no ledger work inside this transaction); the outbox
  // keeps them safe if this process stops first, and the sweep picks them up. Spend-based tiers
  // move up with the orders just stored. Not awaited: they may ingest events themselves (a
  // converted referral), which queue behind this group.
  if (storedPerBatch.some((stored) => stored > 0)) ctx.background.track(scheduleAwards(ctx, merchantId).then(() => upgradeTiers(ctx, merchantId, membersSeen)), 'point awards after an ingest');
  for (const referral of converted) ctx.background.track(afterConversion(ctx, merchantId, referral), 'referral conversion follow-up');
  return storedPerBatch;
}
