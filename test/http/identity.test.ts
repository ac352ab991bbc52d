import { expect, it } from 'vitest';
import { ingestEvents } from '../../src/services/events/ingest-events';
import type { ServiceContext } from '../../src/services/context';
import { PersonResolver } from '../../src/services/identity/resolve-person';
import { claimIdentity, findPersonByIdentity, findLivePerson } from '../../src/store/identity-store';
import { PassingConflictError } from '../../src/store/retry';
import { parseSegmentMessage } from '../../src/domain/events/parse-segment-message';
import { merchantWithWriteKey } from '../support/event-sender';
import { describeEachStore } from '../support/stores';

describeEachStore('identity stitching', (env) => {
  async function setup() {
    const { m, send } = await merchantWithWriteKey(env());
    // The customer's own events, without the Stage Entered events Sentang adds.
    const events = async () => ((await m.request('GET', '/api/v1/events?limit=200')).json.events as { personId: string | null; event: string | null; type: string }[])
      .filter((e) => e.event !== 'Stage Entered');
    const memberByExternalId = async (externalId: string) => (await m.request('GET', `/api/v1/members?externalId=${externalId}`)).json.members[0];
    return { m, send, events, memberByExternalId };
  }

  /** A message as ingestion parses it, for driving the PersonResolver directly. */
  function event(message: Record<string, unknown>) {
    const parsed = parseSegmentMessage(message, null, { receivedAtMs: Date.now(), batchSentAt: undefined, newMessageId: () => env().ctx.newId('msg') });
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.event;
  }

  it('counts what an anonymous visitor did for the member they become', async () => {
    const { m, send, memberByExternalId } = await setup();
    await send([
      { type: 'page', name: 'Menu', anonymousId: 'anon-1', timestamp: '2026-05-01T10:00:00Z' },
      { type: 'track', event: 'Product Viewed', anonymousId: 'anon-1', timestamp: '2026-05-01T10:01:00Z' },
    ]);
    await send([{ type: 'identify', userId: 'cust-1', anonymousId: 'anon-1', traits: { phone: '081-234-5678', email: 'Som@Example.com', name: 'Somchai', birthday: '1990-04-13' }, timestamp: '2026-05-01T10:05:00Z' }]);
    await send([{ type: 'track', event: 'Order Completed', userId: 'cust-1', timestamp: '2026-05-01T10:10:00Z' }]);
    const member = await memberByExternalId('cust-1');
    expect(member).toMatchObject({ phone: '+66812345678', email: 'som@example.com', name: 'Somchai', birthday: '1990-04-13' });
    const timeline = await m.request('GET', `/api/v1/members/${member.id}/timeline`);
    expect(timeline.statusCode).toBe(200);
    const items = timeline.json.items.filter((i: { kind: string }) => i.kind === 'event').map((i: { type: string; event: string | null; properties: { stage?: string } | null }) => (i.event === 'Stage Entered' ? `→ ${i.properties?.stage}` : i.event ?? i.type));
    expect(items).toEqual(['Menu', '→ awareness', 'Product Viewed', 'identify', 'Order Completed', '→ purchase']);
    const person = await m.request('GET', `/api/v1/people/${timeline.json.personId}`);
    expect(person.json).toMatchObject({ userId: 'cust-1', memberId: member.id, firstSeenAt: '2026-05-01T10:00:00.000Z', lastSeenAt: '2026-05-01T10:10:00.000Z' });
    expect(person.json.identities).toEqual(expect.arrayContaining([{ kind: 'user', value: 'cust-1' }, { kind: 'anonymous', value: 'anon-1' }]));
  });

  it('merges an anonymous person into the identified one after the fact', async () => {
    const { m, send, events, memberByExternalId } = await setup();
    await send([{ type: 'identify', userId: 'cust-2', anonymousId: 'phone-app' }]);
    await send([{ type: 'track', event: 'Product Viewed', anonymousId: 'laptop', timestamp: '2026-04-01T00:00:00Z' }]);
    const before = await events();
    const laptopPerson = before.find((e) => e.event === 'Product Viewed')?.personId as string;
    await send([{ type: 'identify', userId: 'cust-2', anonymousId: 'laptop' }]);
    const merged = await m.request('GET', `/api/v1/people/${laptopPerson}`);
    const member = await memberByExternalId('cust-2');
    const timeline = await m.request('GET', `/api/v1/members/${member.id}/timeline`);
    expect(merged.json.mergedIntoPersonId).toBe(timeline.json.personId);
    expect(timeline.json.items.map((i: { event: string | null }) => i.event)).toContain('Product Viewed');
    const survivor = await m.request('GET', `/api/v1/people/${timeline.json.personId}`);
    expect(survivor.json.mergedPersonIds).toEqual([laptopPerson]);
    expect(survivor.json.firstSeenAt).toBe('2026-04-01T00:00:00.000Z');
  });

  it('never merges two identified people, and records the conflict for staff', async () => {
    const { m, send, events } = await setup();
    await send([{ type: 'identify', userId: 'alice', anonymousId: 'shared-tablet' }]);
    await send([{ type: 'identify', userId: 'bob', anonymousId: 'bobs-phone' }]);
    await send([{ type: 'alias', previousId: 'alice', userId: 'bob' }]);
    await send([{ type: 'identify', userId: 'carol', anonymousId: 'shared-tablet' }]);
    const all = await events();
    const people = new Set(all.map((e) => e.personId));
    expect(people.size).toBe(3);
    const bobPerson = all.find((e) => e.type === 'alias')?.personId as string;
    const bob = await m.request('GET', `/api/v1/people/${bobPerson}`);
    expect(bob.json.userId).toBe('bob');
    expect(bob.json.conflicts).toHaveLength(1);
    expect(bob.json.conflicts[0].reason).toContain('both people are identified');
    const carolPerson = all[all.length - 1]?.personId as string;
    expect((await m.request('GET', `/api/v1/people/${carolPerson}`)).json.userId).toBe('carol');
  });

  it('never uses a junk anonymous id to join people', async () => {
    const { send, events } = await setup();
    await send([
      { type: 'identify', userId: 'dan', anonymousId: 'undefined' },
      { type: 'identify', userId: 'erin', anonymousId: 'undefined' },
      { type: 'track', event: 'Clicked', anonymousId: 'null' },
    ]);
    const all = await events();
    expect(all[0]?.personId).not.toBe(all[1]?.personId);
    expect(all[2]?.personId).toBeNull();
  });

  it('joins by alias, skips an invalid phone trait, and changes nothing on a redelivery', async () => {
    const { m, send, events, memberByExternalId } = await setup();
    await send([{ type: 'track', event: 'Signed Up', anonymousId: 'web-1', messageId: 'm-1' }]);
    await send([{ type: 'alias', previousId: 'web-1', userId: 'frank', messageId: 'm-2' }]);
    await send([{ type: 'identify', userId: 'frank', traits: { phone: 'not a phone', name: 'Frank' }, messageId: 'm-3' }]);
    await send([{ type: 'identify', userId: 'frank', traits: { phone: 'not a phone', name: 'Frank' }, messageId: 'm-3' }]);
    const member = await memberByExternalId('frank');
    expect(member).toMatchObject({ name: 'Frank', phone: null });
    const all = await events();
    expect(all).toHaveLength(3);
    expect(new Set(all.map((e) => e.personId)).size).toBe(1);
    const other = await env().newMerchant();
    expect((await other.request('GET', `/api/v1/people/${all[0]?.personId}`)).statusCode).toBe(404);
    expect((await other.request('GET', `/api/v1/members/${member.id}/timeline`)).statusCode).toBe(404);
    void m;
  });

  it('joins an anonymous visitor stored at the same moment as their identify (two servers)', async () => {
    const m = await env().newMerchant();
    const second = await env().secondServer();
    for (let round = 0; round < 20; round += 1) {
      const visitor = `race-${round}`;
      const page = () => ingestEvents(env().ctx, m.merchantId, [{ type: 'page', anonymousId: visitor }], null);
      const identify = () => ingestEvents(second.ctx, m.merchantId, [{ type: 'identify', userId: `user-${round}`, anonymousId: visitor }], null);
      // PostgreSQL runs both transactions at once. SQLite has one writer (and a second connection in
      // this process would wait synchronously for the lock), so there both orders are tried in turn.
      if (env().kind === 'postgres') await Promise.all([page(), identify()]);
      else if (round % 2 === 0) await page().then(identify);
      else await identify().then(page);
      const anonymous = await findPersonByIdentity(env().store.db, m.merchantId, 'anonymous', visitor);
      const user = await findPersonByIdentity(env().store.db, m.merchantId, 'user', `user-${round}`);
      const live = await findLivePerson(env().store.db, m.merchantId, anonymous?.id as string);
      expect(live?.id, `round ${round}`).toBe(user?.id);
    }
  });

  it('writes new people at the end, and runs the batch again when another transaction claimed one of their ids first', async () => {
    const m = await env().newMerchant();
    const ctx = env().ctx;
    const visit = event({ type: 'page', anonymousId: 'late-claim' });
    const attempt = ctx.store.db.transaction().execute(async (trx) => {
      const resolver = new PersonResolver(ctx, trx, m.merchantId);
      await resolver.prefetch([visit]);
      const personId = await resolver.resolve(visit);
      const claimed = await findPersonByIdentity(trx, m.merchantId, 'anonymous', 'late-claim');
      if (env().kind === 'sqlite') {
        // One writer at a time: the claim waits for the end of the batch.
        expect(claimed).toBeUndefined();
        // As if another writer had stored this visitor's first event in the meantime (a bug on SQLite).
        await claimIdentity(trx, m.merchantId, 'anonymous', 'late-claim', 'per_other_server', Date.now());
      } else {
        // Writers side by side: the id is claimed at once (the person row follows at finish).
        expect(await claimIdentity(trx, m.merchantId, 'anonymous', 'late-claim', 'per_other_server', Date.now())).toBe(personId);
      }
      await resolver.finish();
      return personId;
    });
    if (env().kind === 'sqlite') {
      await expect(attempt).rejects.toBeInstanceOf(PassingConflictError);
      expect(await findPersonByIdentity(env().store.db, m.merchantId, 'anonymous', 'late-claim')).toBeUndefined();
    } else {
      const personId = await attempt;
      expect((await findPersonByIdentity(env().store.db, m.merchantId, 'anonymous', 'late-claim'))?.id).toBe(personId);
    }

    // A visitor and their identify in one batch: one person, its ids and its member, all written.
    await ingestEvents(ctx, m.merchantId, [{ type: 'page', anonymousId: 'late-claim-2' }, { type: 'identify', userId: 'late-user', anonymousId: 'late-claim-2' }], null);
    const person = await findPersonByIdentity(env().store.db, m.merchantId, 'anonymous', 'late-claim-2');
    expect(person?.user_id).toBe('late-user');
    expect(person?.member_id).toMatch(/^mbr_/);
    expect((await findPersonByIdentity(env().store.db, m.merchantId, 'user', 'late-user'))?.id).toBe(person?.id);
  });

  it('claims the ids of new visitors and signed-in users up front where writers run side by side, with the same people as one by one', async () => {
    const m = await env().newMerchant();
    const ctx = env().ctx;
    const track = event({ type: 'track', event: 'Product Viewed', userId: 'upfront-user' });
    await ctx.store.db.transaction().execute(async (trx) => {
      const resolver = new PersonResolver(ctx, trx, m.merchantId);
      await resolver.prefetch([track]);
      const claimedBeforeResolve = await findPersonByIdentity(trx, m.merchantId, 'user', 'upfront-user');
      // PostgreSQL: claimed by prefetch (the person row follows at finish); SQLite: at finish.
      if (env().kind === 'postgres') expect(await claimIdentity(trx, m.merchantId, 'user', 'upfront-user', 'per_other', Date.now())).not.toBe('per_other');
      else expect(claimedBeforeResolve).toBeUndefined();
      const personId = await resolver.resolve(track);
      await resolver.finish();
      expect((await findPersonByIdentity(trx, m.merchantId, 'user', 'upfront-user'))?.id).toBe(personId);
    });

    // A visitor, the same person's first signed-in track, then the identify that joins them: the
    // visitor and the user each got a person up front, and the identify merges the visitor into the user.
    await ingestEvents(ctx, m.merchantId, [
      { type: 'page', anonymousId: 'upfront-device' },
      { type: 'track', event: 'Product Viewed', userId: 'upfront-2' },
      { type: 'identify', userId: 'upfront-2', anonymousId: 'upfront-device' },
    ], null);
    const user = await findPersonByIdentity(env().store.db, m.merchantId, 'user', 'upfront-2');
    const device = await findPersonByIdentity(env().store.db, m.merchantId, 'anonymous', 'upfront-device');
    expect(device?.id).toBe(user?.id);
    expect(user?.member_id).toMatch(/^mbr_/);
    const owners = (await env().store.db.selectFrom('events').select(['person_id', 'event_name']).where('merchant_id', '=', m.merchantId).execute())
      .filter((row) => row.event_name !== 'Stage Entered');
    expect(owners).toHaveLength(3);
    const live = await Promise.all(owners.map(async (row) => (await findLivePerson(env().store.db, m.merchantId, row.person_id as string))?.id));
    expect(new Set(live)).toEqual(new Set([user?.id]));

    // Two servers seeing the same new signed-in user at once end with one person and one member.
    const second = await env().secondServer();
    for (let round = 0; round < 10; round += 1) {
      const userId = `upfront-race-${round}`;
      const send = (c: ServiceContext, n: number) => ingestEvents(c, m.merchantId, [{ type: 'track', event: 'Order Completed', userId, messageId: `${userId}-${n}` }], null);
      if (env().kind === 'postgres') await Promise.all([send(ctx, 1), send(second.ctx, 2)]);
      else await send(ctx, 1).then(() => send(second.ctx, 2));
      const people = await env().store.db.selectFrom('people').select('id').where('merchant_id', '=', m.merchantId).where('user_id', '=', userId).execute();
      expect(people, `round ${round}`).toHaveLength(1);
      const stored = await env().store.db.selectFrom('events').select('person_id').where('merchant_id', '=', m.merchantId).where('user_id', '=', userId).where('event_name', '=', 'Order Completed').execute();
      expect(stored.map((row) => row.person_id), `round ${round}`).toEqual([people[0]?.id, people[0]?.id]);
    }
  });

  it('makes one member when two servers see a new user at the same moment', async () => {
    const m = await env().newMerchant();
    const second = await env().secondServer();
    for (let round = 0; round < 10; round += 1) {
      const userId = `same-moment-${round}`;
      const send = (ctx: ServiceContext, n: number) => ingestEvents(ctx, m.merchantId, [
        { type: 'track', event: 'Product Viewed', userId, anonymousId: `device-${round}-${n}`, messageId: `${userId}-${n}` },
        { type: 'identify', userId, traits: { name: `Member ${round}` }, messageId: `${userId}-${n}-identify` },
      ], null);
      const both = [() => send(env().ctx, 1), () => send(second.ctx, 2)];
      if (env().kind === 'postgres') await Promise.all(both.map((run) => run()));
      else for (const run of round % 2 === 0 ? both : [...both].reverse()) await run();
      const members = await env().store.db.selectFrom('members').select(['id', 'name']).where('merchant_id', '=', m.merchantId).where('external_id', '=', userId).execute();
      expect(members, `round ${round}`).toEqual([{ id: expect.stringMatching(/^mbr_/), name: `Member ${round}` }]);
      const person = await findPersonByIdentity(env().store.db, m.merchantId, 'user', userId);
      expect(person?.member_id, `round ${round}`).toBe(members[0]?.id);
    }
  });
});
