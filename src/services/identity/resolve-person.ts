import type { Transaction } from 'kysely';
import type { IngestedEvent } from '../../domain/events/parse-segment-message';
import { decideIdentity, isJunkId, type PersonRef } from '../../domain/identity/resolve-identity';
import {
  claimIdentities, claimIdentity, findIdentityHolders, findLivePerson, findPeople, findPersonByIdentity, insertIdentityConflict, insertPeople, moveIdentities,
  updatePeopleSeenTimes, updatePerson, type IdentityKind,
} from '../../store/identity-store';
import { PassingConflictError } from '../../store/retry';
import { findMembersByExternalIds } from '../../store/member-store';
import type { Database, MembersTable, PeopleTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { mergeJourneys } from '../journey/advance-journey';
import { createMembersForUsers, ensureMemberForUser } from '../members/ensure-member-for-user';

const ref = (person: PeopleTable | undefined): PersonRef | null => (person ? { id: person.id, userId: person.user_id } : null);

/**
 * Stitches the events of one ingest transaction to people. It remembers, for the length of the
 * transaction, which person each id belongs to and what each person looks like, so a batch with many
 * events of one visitor reads and writes that visitor once; seen times are written at finish().
 *
 * New people are written together (one statement instead of one per visitor): before any statement
 * that reads or moves people or their ids, and at finish(). So are the ids they claim, where the
 * store has one writer at a time (SQLite): nobody can take an id between this transaction's look and
 * its write. Where transactions write side by side (PostgreSQL) an id is claimed at once, as another
 * transaction may claim it meanwhile; and should a deferred claim ever find the id taken, the write
 * fails with a PassingConflictError and the whole batch runs again, now seeing that person.
 */
export class PersonResolver {
  private readonly personByIdentity = new Map<string, string>();
  private readonly people = new Map<string, PeopleTable>();
  private readonly seenChanged = new Set<string>();
  /** Identities already looked up in this transaction, found or not. */
  private readonly lookedUp = new Set<string>();
  /** People made here and not written yet; their rows carry every change until written. */
  private readonly unwrittenPeople = new Map<string, PeopleTable>();
  private unwrittenClaims: { kind: IdentityKind; value: string; personId: string }[] = [];
  /** Members by externalId as read at prefetch (null: none); dropped once this transaction may have changed one. */
  private readonly membersByUserId = new Map<string, MembersTable | null>();

  private readonly claimsCanWait: boolean;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly trx: Transaction<Database>,
    private readonly merchantId: string,
  ) {
    this.claimsCanWait = ctx.store.dialect.concurrentWriteTransactions === 1;
  }

  /**
   * The person an event belongs to, stitching people as identify and alias say: an anonymous person
   * joins the identified one, two identified people are never joined (the conflict is recorded), and
   * junk ids join nothing. An identified person is a member (userId = externalId). Null when the
   * event carries no usable id.
   */
  async resolve(event: IngestedEvent): Promise<string | null> {
    const userId = isJunkId(event.userId) ? null : event.userId;
    // alias names the earlier id as previousId; it may be an anonymous id or another user id.
    const otherId = event.type === 'alias' ? event.previousId : event.anonymousId;
    const anonymousId = isJunkId(otherId) ? null : otherId;
    if (userId === null && anonymousId === null) return null;

    const userPerson = userId ? await this.personOf('user', userId) : undefined;
    let anonymousPerson = anonymousId ? await this.personOf('anonymous', anonymousId) : undefined;
    if (!anonymousPerson && anonymousId && event.type === 'alias') anonymousPerson = await this.personOf('user', anonymousId);
    const decision = decideIdentity({ userId, anonymousId }, ref(userPerson), ref(anonymousPerson));

    let person: PeopleTable;
    switch (decision.kind) {
      case 'create':
        person = await this.createPerson(userId ? 'user' : 'anonymous', (userId ?? anonymousId) as string, userId, event);
        if (userId && anonymousId) await this.attachAnonymous(person, anonymousId, event);
        break;
      case 'use':
        person = this.people.get(decision.personId) as PeopleTable;
        break;
      case 'attach_anonymous':
        person = this.people.get(decision.personId) as PeopleTable;
        await this.attachAnonymous(person, anonymousId as string, event);
        break;
      case 'attach_user':
        person = this.people.get(decision.personId) as PeopleTable;
        await this.claim('user', userId as string, person.id);
        person.user_id = userId;
        await this.writeChanges(person, { user_id: userId });
        break;
      case 'merge': {
        person = userPerson as PeopleTable;
        await this.mergeInto(anonymousPerson as PeopleTable, person);
        break;
      }
      case 'conflict':
        await insertIdentityConflict(this.trx, {
          merchant_id: this.merchantId, id: this.ctx.newId('icf'), person_id: decision.personId, other_person_id: decision.otherPersonId,
          message_id: event.messageId, reason: decision.reason, created_at_ms: event.receivedAtMs,
        });
        // A new user id whose anonymous id is someone else's gets a person of its own.
        person = decision.personId ? (this.people.get(decision.personId) as PeopleTable) : await this.createPerson('user', userId as string, userId, event);
        break;
    }

    this.seen(person, event.timestampMs);
    const traits = event.type === 'identify' ? event.traits : null;
    if (person.user_id && (person.member_id === null || (traits && Object.keys(traits).length > 0))) {
      const known = this.membersByUserId.has(person.user_id) ? this.membersByUserId.get(person.user_id) ?? null : undefined;
      this.membersByUserId.delete(person.user_id);
      const memberId = await ensureMemberForUser(this.ctx, this.trx, this.merchantId, person.user_id, traits, event.receivedAtMs, known);
      if (person.member_id !== memberId) {
        person.member_id = memberId;
        await this.writeChanges(person, { member_id: memberId });
      }
    }
    return person.id;
  }

  /** Reads, in a few statements, who holds every id the events name, so resolve() rarely reads. */
  async prefetch(events: readonly IngestedEvent[]): Promise<void> {
    const values = { user: new Set<string>(), anonymous: new Set<string>() };
    for (const event of events) {
      if (!isJunkId(event.userId)) values.user.add(event.userId as string);
      const other = event.type === 'alias' ? event.previousId : event.anonymousId;
      if (!isJunkId(other)) {
        values.anonymous.add(other as string);
        if (event.type === 'alias') values.user.add(other as string);
      }
    }
    const holders = new Map([
      ...await findIdentityHolders(this.trx, this.merchantId, 'user', [...values.user]),
      ...await findIdentityHolders(this.trx, this.merchantId, 'anonymous', [...values.anonymous]),
    ]);
    for (const value of values.user) this.lookedUp.add(`user:${value}`);
    // Every event with a usable userId ends with that user's member (resolve() below): make the
    // missing ones together. An alias's previousId may be anything, so it is only looked up.
    const firstSeenAtMs = new Map<string, number>();
    for (const event of events) if (!isJunkId(event.userId) && !firstSeenAtMs.has(event.userId as string)) firstSeenAtMs.set(event.userId as string, event.receivedAtMs);
    const members = await findMembersByExternalIds(this.trx, this.merchantId, [...values.user]);
    const missing = new Map([...firstSeenAtMs].filter(([userId]) => !members.has(userId)));
    for (const [userId, member] of await createMembersForUsers(this.ctx, this.trx, this.merchantId, missing)) members.set(userId, member);
    for (const value of values.user) this.membersByUserId.set(value, members.get(value) ?? null);
    for (const value of values.anonymous) this.lookedUp.add(`anonymous:${value}`);
    if (!this.claimsCanWait) await this.claimNewIds(events, holders);
    const people = await findPeople(this.trx, this.merchantId, [...new Set(holders.values())]);
    const byId = new Map(people.map((person) => [person.id, person]));
    for (const [identity, holderId] of holders) {
      let person = byId.get(holderId);
      // A merged person's identities moved to the survivor when it merged; follow a stale pointer anyway.
      if (person?.merged_into_person_id) person = await findLivePerson(this.trx, this.merchantId, person.id);
      if (person) this.remember(identity, person);
    }
  }

  /**
   * Where transactions write side by side (PostgreSQL), claims in one statement, for new people, the
   * ids that nobody holds and whose first event in this batch makes a new person of them: an
   * anonymous id whose event names no user, and a user id whose event names no anonymous id (a
   * `track` of a signed-in user). That is exactly what resolve() would claim at that event, only
   * sooner, and instead of one statement (a round trip) per new visitor or user. An id another
   * transaction claimed first is looked up again when its event comes, as before.
   */
  private async claimNewIds(events: readonly IngestedEvent[], holders: ReadonlyMap<string, string>): Promise<void> {
    const firstEvents = new Map<string, { kind: IdentityKind; value: string; event: IngestedEvent }>();
    const decidedElsewhere = new Set<string>();
    const consider = (kind: IdentityKind, value: string, event: IngestedEvent, makesNewPerson: boolean) => {
      const key = `${kind}:${value}`;
      if (holders.has(key) || firstEvents.has(key) || decidedElsewhere.has(key)) return;
      if (makesNewPerson) firstEvents.set(key, { kind, value, event });
      else decidedElsewhere.add(key);
    };
    for (const event of events) {
      const userId = isJunkId(event.userId) ? null : (event.userId as string);
      const other = event.type === 'alias' ? event.previousId : event.anonymousId;
      const otherId = isJunkId(other) ? null : (other as string);
      // An alias may join anything to anything, and an event naming both ids may join two people:
      // those ids are left to resolve().
      if (event.type === 'alias') {
        if (userId) consider('user', userId, event, false);
        if (otherId) {
          consider('anonymous', otherId, event, false);
          consider('user', otherId, event, false);
        }
        continue;
      }
      if (otherId) consider('anonymous', otherId, event, userId === null);
      if (userId) consider('user', userId, event, otherId === null);
    }
    if (firstEvents.size === 0) return;
    // In key order, so two transactions claiming the same ids lock them in the same order.
    const candidates = [...firstEvents].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, { kind, value, event }]) => ({
      key, kind, value,
      person: {
        // The user's member was made or found above: written with the row, not updated after it.
        merchant_id: this.merchantId, id: this.ctx.newId('per'), user_id: kind === 'user' ? value : null,
        member_id: kind === 'user' ? this.membersByUserId.get(value)?.id ?? null : null, merged_into_person_id: null,
        first_seen_at_ms: event.timestampMs, last_seen_at_ms: event.timestampMs,
      } satisfies PeopleTable,
    }));
    const claimed = await claimIdentities(this.trx, this.merchantId, candidates.map(({ kind, value, person }) => ({ kind, value, personId: person.id })), Date.now());
    for (const { key, person } of candidates) {
      if (claimed.has(key)) {
        this.people.set(person.id, person);
        this.unwrittenPeople.set(person.id, person);
        this.personByIdentity.set(key, person.id);
      } else {
        this.lookedUp.delete(key);
      }
    }
  }

  /** Writes the new people and ids, and the first and last seen times of everyone this transaction saw. */
  async finish(): Promise<void> {
    // New people are written with their times as they are now.
    const changed = [...this.seenChanged].filter((personId) => !this.unwrittenPeople.has(personId));
    await this.flush();
    await updatePeopleSeenTimes(this.trx, this.ctx.store.dialect, this.merchantId, changed.map((personId) => this.people.get(personId) as PeopleTable));
  }

  /** Writes the people made and the ids claimed since the last flush. */
  private async flush(): Promise<void> {
    if (this.unwrittenClaims.length > 0) {
      const claims = this.unwrittenClaims;
      this.unwrittenClaims = [];
      const claimed = await claimIdentities(this.trx, this.merchantId, claims, Date.now());
      const lost = claims.find((claim) => !claimed.has(`${claim.kind}:${claim.value}`));
      if (lost) throw new PassingConflictError(`${lost.kind} id ${lost.value} was claimed by another transaction at the same time`);
    }
    if (this.unwrittenPeople.size > 0) {
      const rows = [...this.unwrittenPeople.values()];
      this.unwrittenPeople.clear();
      await insertPeople(this.trx, rows);
    }
  }

  /** A change already made to `person`'s row: written now, or with the row when it is new. */
  private async writeChanges(person: PeopleTable, changes: Partial<Omit<PeopleTable, 'merchant_id' | 'id'>>): Promise<void> {
    if (this.unwrittenPeople.has(person.id)) return;
    await updatePerson(this.trx, this.merchantId, person.id, changes);
  }

  private seen(person: PeopleTable, atMs: number): void {
    if (atMs < person.first_seen_at_ms) person.first_seen_at_ms = atMs;
    else if (atMs > person.last_seen_at_ms) person.last_seen_at_ms = atMs;
    else return;
    this.seenChanged.add(person.id);
  }

  private async personOf(kind: IdentityKind, value: string): Promise<PeopleTable | undefined> {
    const key = `${kind}:${value}`;
    const known = this.personByIdentity.get(key);
    if (known) return this.people.get(known);
    if (this.lookedUp.has(key)) return undefined;
    this.lookedUp.add(key);
    await this.flush();
    const person = await findPersonByIdentity(this.trx, this.merchantId, kind, value);
    if (!person) return undefined;
    return this.remember(key, person);
  }

  private remember(identityKey: string, person: PeopleTable): PeopleTable {
    const existing = this.people.get(person.id);
    const kept = existing ?? person;
    if (!existing) this.people.set(person.id, person);
    this.personByIdentity.set(identityKey, kept.id);
    return kept;
  }

  /** An anonymous person joins an identified one: identities, journey and seen times move to the survivor. */
  private async mergeInto(from: PeopleTable, person: PeopleTable): Promise<void> {
    await this.flush();
    await moveIdentities(this.trx, this.merchantId, from.id, person.id);
    await updatePerson(this.trx, this.merchantId, from.id, { merged_into_person_id: person.id });
    await mergeJourneys(this.trx, this.merchantId, from.id, person.id);
    from.merged_into_person_id = person.id;
    for (const [identity, personId] of this.personByIdentity) if (personId === from.id) this.personByIdentity.set(identity, person.id);
    this.seen(person, from.first_seen_at_ms);
    this.seen(person, from.last_seen_at_ms);
  }

  /**
   * Gives the identified person an anonymous id. When a transaction running at the same time gave
   * that id to a person of its own first (their first page view, stored while this identify was on
   * its way), that anonymous person joins this one, as if it had been there before; an identified
   * holder is a conflict, recorded and left apart.
   */
  private async attachAnonymous(person: PeopleTable, anonymousId: string, event: IngestedEvent): Promise<void> {
    const holder = await this.claim('anonymous', anonymousId, person.id);
    if (holder === person.id) return;
    await this.flush(); // the holder may be a person made here and not written yet
    const other = await findLivePerson(this.trx, this.merchantId, holder);
    if (!other || other.id === person.id) return;
    const kept = this.remember(`anonymous:${anonymousId}`, other);
    if (kept.user_id === null) {
      await this.mergeInto(kept, person);
      return;
    }
    await insertIdentityConflict(this.trx, {
      merchant_id: this.merchantId, id: this.ctx.newId('icf'), person_id: person.id, other_person_id: kept.id,
      message_id: event.messageId, reason: `the anonymous id already belongs to user ${kept.user_id}`, created_at_ms: event.receivedAtMs,
    });
  }

  private async claim(kind: IdentityKind, value: string, personId: string): Promise<string> {
    const key = `${kind}:${value}`;
    if (this.claimsCanWait && this.lookedUp.has(key) && !this.personByIdentity.has(key)) {
      // Nobody held it when this transaction looked, and nobody else writes: it is this person's,
      // written at the next flush.
      this.unwrittenClaims.push({ kind, value, personId });
      this.personByIdentity.set(key, personId);
      return personId;
    }
    // A claim waiting to be written may be this very id: write them first, so the store answers
    // who holds it. (New people need not be written for that, and there may be many.)
    if (this.unwrittenClaims.length > 0) await this.flush();
    const holder = await claimIdentity(this.trx, this.merchantId, kind, value, personId, Date.now());
    if (holder === personId) this.personByIdentity.set(`${kind}:${value}`, personId);
    return holder;
  }

  /** Claims the id first: if another transaction got there first, its person is this person. */
  private async createPerson(kind: IdentityKind, value: string, userId: string | null, event: IngestedEvent): Promise<PeopleTable> {
    const candidate: PeopleTable = {
      merchant_id: this.merchantId, id: this.ctx.newId('per'), user_id: userId, member_id: null, merged_into_person_id: null,
      first_seen_at_ms: event.timestampMs, last_seen_at_ms: event.timestampMs,
    };
    const holder = await this.claim(kind, value, candidate.id);
    if (holder === candidate.id) {
      this.unwrittenPeople.set(candidate.id, candidate);
      this.people.set(candidate.id, candidate);
      return candidate;
    }
    await this.flush(); // the holder may be a person made here and not written yet
    const winner = await findLivePerson(this.trx, this.merchantId, holder);
    if (!winner) throw new Error(`person ${holder} of ${kind} ${value} is missing`);
    return this.remember(`${kind}:${value}`, winner);
  }
}
