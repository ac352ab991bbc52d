import type { Transaction } from 'kysely';
import type { IngestedEvent } from '../../domain/events/parse-segment-message';
import { decideIdentity, isJunkId, type PersonRef } from '../../domain/identity/resolve-identity';
import {
  claimIdentity, findLivePerson, findPersonByIdentity, insertIdentityConflict, insertPerson, moveIdentities, updatePerson,
  type IdentityKind,
} from '../../store/identity-store';
import type { Database, PeopleTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { ensureMemberForUser } from '../members/ensure-member-for-user';

const ref = (person: PeopleTable | undefined): PersonRef | null => (person ? { id: person.id, userId: person.user_id } : null);

/**
 * The person an event belongs to, stitching people as identify and alias say: an anonymous person
 * joins the identified one, two identified people are never joined (the conflict is recorded), and
 * junk ids join nothing. An identified person is a member (userId = externalId). Null when the event
 * carries no usable id. Runs inside the caller's transaction.
 */
export async function resolvePerson(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, event: IngestedEvent): Promise<string | null> {
  const userId = isJunkId(event.userId) ? null : event.userId;
  // alias names the earlier id as previousId; it may be an anonymous id or another user id.
  const otherId = event.type === 'alias' ? event.previousId : event.anonymousId;
  const anonymousId = isJunkId(otherId) ? null : otherId;
  if (userId === null && anonymousId === null) return null;
  const nowMs = event.receivedAtMs;

  const userPerson = userId ? await findPersonByIdentity(trx, merchantId, 'user', userId) : undefined;
  let anonymousPerson = anonymousId ? await findPersonByIdentity(trx, merchantId, 'anonymous', anonymousId) : undefined;
  if (!anonymousPerson && anonymousId && event.type === 'alias') anonymousPerson = await findPersonByIdentity(trx, merchantId, 'user', anonymousId);
  const decision = decideIdentity({ userId, anonymousId }, ref(userPerson), ref(anonymousPerson));

  const claim = (kind: IdentityKind, value: string, personId: string) => claimIdentity(trx, merchantId, kind, value, personId, nowMs);
  let personId: string;
  switch (decision.kind) {
    case 'create': {
      const candidate = ctx.newId('per');
      // Claim the ids first: if another request got there first, its person is this person.
      const holder = await claim(userId ? 'user' : 'anonymous', (userId ?? anonymousId) as string, candidate);
      if (holder === candidate) {
        await insertPerson(trx, { merchant_id: merchantId, id: candidate, user_id: userId, member_id: null, merged_into_person_id: null, first_seen_at_ms: event.timestampMs, last_seen_at_ms: event.timestampMs });
      }
      personId = holder;
      if (userId && anonymousId) await claim('anonymous', anonymousId, personId);
      break;
    }
    case 'use':
      personId = decision.personId;
      break;
    case 'attach_anonymous':
      personId = decision.personId;
      await claim('anonymous', anonymousId as string, personId);
      break;
    case 'attach_user':
      personId = decision.personId;
      await claim('user', userId as string, personId);
      await updatePerson(trx, merchantId, personId, { user_id: userId });
      break;
    case 'merge': {
      personId = decision.intoPersonId;
      const from = anonymousPerson as PeopleTable;
      await moveIdentities(trx, merchantId, from.id, personId);
      await updatePerson(trx, merchantId, from.id, { merged_into_person_id: personId });
      const into = userPerson as PeopleTable;
      await updatePerson(trx, merchantId, personId, { first_seen_at_ms: Math.min(into.first_seen_at_ms, from.first_seen_at_ms) });
      break;
    }
    case 'conflict': {
      await insertIdentityConflict(trx, {
        merchant_id: merchantId, id: ctx.newId('icf'), person_id: decision.personId, other_person_id: decision.otherPersonId,
        message_id: event.messageId, reason: decision.reason, created_at_ms: nowMs,
      });
      if (decision.personId) {
        personId = decision.personId;
      } else {
        // The user id is new but its anonymous id is someone else's: the user gets a person of its own.
        const candidate = ctx.newId('per');
        personId = await claim('user', userId as string, candidate);
        if (personId === candidate) {
          await insertPerson(trx, { merchant_id: merchantId, id: candidate, user_id: userId, member_id: null, merged_into_person_id: null, first_seen_at_ms: event.timestampMs, last_seen_at_ms: event.timestampMs });
        }
      }
      break;
    }
  }

  const person = await findLivePerson(trx, merchantId, personId);
  if (!person) throw new Error(`person ${personId} vanished`);
  const changes: Partial<PeopleTable> = {};
  if (event.timestampMs > person.last_seen_at_ms) changes.last_seen_at_ms = event.timestampMs;
  if (event.timestampMs < person.first_seen_at_ms) changes.first_seen_at_ms = event.timestampMs;
  if (person.user_id) {
    const memberId = await ensureMemberForUser(ctx, trx, merchantId, person.user_id, event.type === 'identify' ? event.traits : null, nowMs);
    if (person.member_id !== memberId) changes.member_id = memberId;
  }
  if (Object.keys(changes).length > 0) await updatePerson(trx, merchantId, person.id, changes);
  return person.id;
}
