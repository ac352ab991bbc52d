import { expect, it, vi } from 'vitest';
import { ingestEvents, storeEventBatches, type ParsedBatch } from '../../src/services/events/ingest-events';
import { parseSegmentMessage } from '../../src/domain/events/parse-segment-message';
import { describeEachStore } from '../support/stores';

describeEachStore('ingestion group commit', (env) => {
  const parsed = (messages: Record<string, unknown>[]): ParsedBatch => messages.map((message) => {
    const result = parseSegmentMessage(message, null, { receivedAtMs: env().ctx.nowMs(), newMessageId: () => env().ctx.newId('msg') });
    if (!result.ok) throw new Error(result.reason);
    return { id: env().ctx.newId('evt'), event: result.event };
  });
  const count = async (merchantId: string) => Number((await env().store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId).where('message_id', 'not like', 'stage:%').executeTakeFirstOrThrow()).n);

  it('stores requests that arrive together (in one transaction on SQLite), each with its own count, a message shared by all stored once', async () => {
    const m = await env().newMerchant();
    // Anonymous views earn nothing, so every transaction here is an ingest group.
    const transactions = vi.spyOn(env().ctx.store.db, 'transaction');
    const results = await Promise.all(Array.from({ length: 8 }, (_, sender) => ingestEvents(env().ctx, m.merchantId, [
      { type: 'track', event: 'Product Viewed', anonymousId: `visitor-${sender}`, messageId: `own-${sender}` },
      // Every sender also redelivers the same message: one of them stores it.
      { type: 'track', event: 'Product Viewed', anonymousId: 'visitor-shared', messageId: 'shared' },
    ], null)));
    expect(results.map((r) => r.received)).toEqual(Array(8).fill(2));
    expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(9);
    expect(results.filter((r) => r.stored === 2)).toHaveLength(1);
    expect(await count(m.merchantId)).toBe(9);
    // SQLite (one writer): the eight requests share one transaction. PostgreSQL: one each, side by side.
    const used = transactions.mock.calls.length;
    transactions.mockRestore();
    expect(used).toBe(env().kind === 'sqlite' ? 1 : 8);
  });

  it('when the shared transaction fails, stores each batch alone: one bad batch does not fail the others', async () => {
    const m = await env().newMerchant();
    const good = parsed([{ type: 'page', anonymousId: 'good-visitor', messageId: 'good-1' }, { type: 'track', event: 'Product Viewed', anonymousId: 'good-visitor', messageId: 'good-2' }]);
    // An event id that collides with the good batch's: together they break the transaction; alone, the good one goes in.
    const bad = parsed([{ type: 'page', anonymousId: 'bad-visitor', messageId: 'bad-1' }]).map((item) => ({ ...item, id: (good[0] as ParsedBatch[number]).id }));
    const outcomes = await storeEventBatches(env().ctx, m.merchantId, [good, bad]);
    expect(outcomes[0]).toEqual({ ok: true, value: 2 });
    expect(outcomes[1]?.ok).toBe(false);
    expect(await count(m.merchantId)).toBe(2);
    const visitors = await env().store.db.selectFrom('person_identities').select('value').where('merchant_id', '=', m.merchantId).execute();
    // Nothing of the bad batch is left, not even its person.
    expect(visitors.map((row) => row.value)).toEqual(['good-visitor']);
  });
});
