import { DomainError } from '../../domain/errors';
import { currentStage } from '../../domain/journey/stage-rules';
import { findMergedPersonIds, findPerson, listIdentities, listIdentityConflicts } from '../../store/identity-store';
import { findPersonStages } from '../../store/journey-store';
import { findMerchantById } from '../../store/merchant-store';
import { stageDefinitionsOf } from '../journey/advance-journey';
import type { ServiceContext } from '../context';

/** A person as stitched so far: identities, member, who was merged into them, and recorded conflicts. */
export async function getPerson(ctx: ServiceContext, merchantId: string, personId: string) {
  const db = ctx.store.db;
  const person = await findPerson(db, merchantId, personId);
  if (!person) throw new DomainError('not_found', `No person ${personId}`);
  const [identities, mergedIds, conflicts, stageRows, definitions, merchant] = await Promise.all([
    listIdentities(db, merchantId, personId), findMergedPersonIds(db, merchantId, personId), listIdentityConflicts(db, merchantId, personId),
    findPersonStages(db, merchantId, [personId]), stageDefinitionsOf(db, merchantId), findMerchantById(db, merchantId),
  ]);
  const names = new Map(definitions.map((definition) => [definition.key, definition.name]));
  const current = currentStage(definitions, new Set(stageRows.map((row) => row.stage_key)));
  // At risk is read from the last event, so the flag clears by itself with the next one.
  const atRisk = ctx.nowMs() - person.last_seen_at_ms > (merchant?.at_risk_days ?? 60) * 86_400_000;
  return {
    id: person.id,
    userId: person.user_id,
    memberId: person.member_id,
    mergedIntoPersonId: person.merged_into_person_id,
    mergedPersonIds: mergedIds.filter((id) => id !== personId),
    identities: identities.map((identity) => ({ kind: identity.kind, value: identity.value })),
    firstSeenAt: new Date(person.first_seen_at_ms).toISOString(),
    lastSeenAt: new Date(person.last_seen_at_ms).toISOString(),
    currentStage: current?.key ?? null,
    atRisk,
    stages: stageRows.map((row) => ({ key: row.stage_key, name: names.get(row.stage_key) ?? row.stage_key, reachedAt: new Date(row.reached_at_ms).toISOString(), eventId: row.event_id })),
    conflicts: conflicts.map((conflict) => ({ messageId: conflict.message_id, reason: conflict.reason, personId: conflict.person_id, otherPersonId: conflict.other_person_id, at: new Date(conflict.created_at_ms).toISOString() })),
  };
}
