import { DomainError } from '../../domain/errors';
import { findMergedPersonIds, findPerson, listIdentities, listIdentityConflicts } from '../../store/identity-store';
import type { ServiceContext } from '../context';

/** A person as stitched so far: identities, member, who was merged into them, and recorded conflicts. */
export async function getPerson(ctx: ServiceContext, merchantId: string, personId: string) {
  const db = ctx.store.db;
  const person = await findPerson(db, merchantId, personId);
  if (!person) throw new DomainError('not_found', `No person ${personId}`);
  const [identities, mergedIds, conflicts] = await Promise.all([
    listIdentities(db, merchantId, personId), findMergedPersonIds(db, merchantId, personId), listIdentityConflicts(db, merchantId, personId),
  ]);
  return {
    id: person.id,
    userId: person.user_id,
    memberId: person.member_id,
    mergedIntoPersonId: person.merged_into_person_id,
    mergedPersonIds: mergedIds.filter((id) => id !== personId),
    identities: identities.map((identity) => ({ kind: identity.kind, value: identity.value })),
    firstSeenAt: new Date(person.first_seen_at_ms).toISOString(),
    lastSeenAt: new Date(person.last_seen_at_ms).toISOString(),
    conflicts: conflicts.map((conflict) => ({ messageId: conflict.message_id, reason: conflict.reason, personId: conflict.person_id, otherPersonId: conflict.other_person_id, at: new Date(conflict.created_at_ms).toISOString() })),
  };
}
