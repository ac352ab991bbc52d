import { DomainError } from '../../domain/errors';
import { claimIdentity, findLivePerson, findPersonOfMember, insertPeople } from '../../store/identity-store';
import { findMemberById } from '../../store/member-store';
import type { ServiceContext } from '../context';

/**
 * The user id to record a member's own events under (a counter sale, approved content), so they
 * count in the journey and analytics like events from the merchant's site: the user id of the
 * member's person, else the member's externalId (ingestion links it), else an id of Sentang's whose
 * person is made for the member now — for members who only ever came by phone, API or LINE.
 */
export async function userIdForMember(ctx: ServiceContext, merchantId: string, memberId: string): Promise<string> {
  const db = ctx.store.db;
  const person = await findPersonOfMember(db, merchantId, memberId);
  if (person?.user_id) return person.user_id;
  const member = await findMemberById(db, merchantId, memberId);
  if (!member) throw new DomainError('member_not_found', `No member ${memberId}`);
  if (member.external_id) return member.external_id;
  const userId = `sentang-member:${memberId}`;
  const nowMs = ctx.nowMs();
  await db.transaction().execute(async (trx) => {
    const candidateId = ctx.newId('per');
    // Two requests for the same member at once: the identity's first claimer makes the person.
    const holder = await claimIdentity(trx, merchantId, 'user', userId, candidateId, nowMs);
    if (holder !== candidateId) {
      if (!(await findLivePerson(trx, merchantId, holder))) throw new Error(`person ${holder} of member ${memberId} is missing`);
      return;
    }
    await insertPeople(trx, [{ merchant_id: merchantId, id: candidateId, user_id: userId, member_id: memberId, merged_into_person_id: null, first_seen_at_ms: nowMs, last_seen_at_ms: nowMs }]);
  });
  return userId;
}
