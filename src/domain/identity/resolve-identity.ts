// Identity stitching rules, pure. A person is known by identities: anonymous ids (devices,
// browsers) and at most one user id (the member's externalId). identify and alias join an
// anonymous person to an identified one; two identified people are never joined automatically.

/** Ids that SDKs and broken integrations send as placeholders; never used to join people. */
const junkIds = new Set(['', 'anonymous', 'null', 'undefined', '0', '-1', 'nan', '[object object]']);

export function isJunkId(value: string | null | undefined): boolean {
  return value === null || value === undefined || junkIds.has(value.trim().toLowerCase());
}

export interface PersonRef {
  id: string;
  /** The person's user id, when identified. */
  userId: string | null;
}

export type IdentityDecision =
  | { kind: 'create' }
  | { kind: 'use'; personId: string }
  | { kind: 'attach_user'; personId: string }
  | { kind: 'attach_anonymous'; personId: string }
  | { kind: 'merge'; fromPersonId: string; intoPersonId: string }
  | { kind: 'conflict'; personId: string | null; otherPersonId: string; reason: string };

/**
 * What an event does to the people already known by its ids. `userPerson` is the person of its
 * user id, `anonymousPerson` the person of its anonymous id (null when unknown or absent).
 */
export function decideIdentity(event: { userId: string | null; anonymousId: string | null }, userPerson: PersonRef | null, anonymousPerson: PersonRef | null): IdentityDecision {
  if (!userPerson && !anonymousPerson) return { kind: 'create' };
  if (userPerson && !anonymousPerson) {
    return event.anonymousId === null ? { kind: 'use', personId: userPerson.id } : { kind: 'attach_anonymous', personId: userPerson.id };
  }
  if (!userPerson && anonymousPerson) {
    if (event.userId === null) return { kind: 'use', personId: anonymousPerson.id };
    if (anonymousPerson.userId === null) return { kind: 'attach_user', personId: anonymousPerson.id };
    return { kind: 'conflict', personId: null, otherPersonId: anonymousPerson.id, reason: `the anonymous id already belongs to user ${anonymousPerson.userId}` };
  }
  const user = userPerson as PersonRef;
  const anonymous = anonymousPerson as PersonRef;
  if (user.id === anonymous.id) return { kind: 'use', personId: user.id };
  if (anonymous.userId === null) return { kind: 'merge', fromPersonId: anonymous.id, intoPersonId: user.id };
  return { kind: 'conflict', personId: user.id, otherPersonId: anonymous.id, reason: `both people are identified (${user.userId} and ${anonymous.userId})` };
}
