// Every SQL statement of identity stitching: people, their identities and recorded conflicts.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { StoreDialect } from './dialect';
import type { Database, PeopleTable } from './schema';
import { chunk } from './chunk';

type Executor = Kysely<Database> | Transaction<Database>;

export type IdentityKind = 'user' | 'anonymous';

/** The person an identity belongs to, following merges to the surviving person. */
export async function findPersonByIdentity(db: Executor, merchantId: string, kind: IdentityKind, value: string): Promise<PeopleTable | undefined> {
  const identity = await db.selectFrom('person_identities').select('person_id')
    .where('merchant_id', '=', merchantId).where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
  return identity ? findLivePerson(db, merchantId, identity.person_id) : undefined;
}

export async function findLivePerson(db: Executor, merchantId: string, personId: string): Promise<PeopleTable | undefined> {
  let person = await db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).where('id', '=', personId).executeTakeFirst();
  // Merges always point at a live person when made, so a chain is short; the bound guards a bug.
  for (let hops = 0; person?.merged_into_person_id && hops < 10; hops += 1) {
    person = await db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).where('id', '=', person.merged_into_person_id).executeTakeFirst();
  }
  return person;
}

/**
 * Claims an identity for a person. Returns the person that holds it afterwards: `personId` when the
 * claim won, or the person that claimed it first (another request racing this one).
 */
export async function claimIdentity(db: Executor, merchantId: string, kind: IdentityKind, value: string, personId: string, nowMs: number): Promise<string> {
  if ((await claimIdentities(db, merchantId, [{ kind, value, personId }], nowMs)).size > 0) return personId;
  const holder = await db.selectFrom('person_identities').select('person_id')
    .where('merchant_id', '=', merchantId).where('kind', '=', kind).where('value', '=', value).executeTakeFirstOrThrow();
  return holder.person_id;
}

/**
 * Claims identities in one statement, each for its person, where nobody holds them yet.
 * @returns the "kind:value" of those claimed now; one missing was claimed by someone else first
 */
export async function claimIdentities(db: Executor, merchantId: string, claims: { kind: IdentityKind; value: string; personId: string }[], nowMs: number): Promise<Set<string>> {
  const claimed = new Set<string>();
  for (const page of chunk(claims)) {
    const rows = await db.insertInto('person_identities')
      .values(page.map((claim) => ({ merchant_id: merchantId, kind: claim.kind, value: claim.value, person_id: claim.personId, created_at_ms: nowMs })))
      .onConflict((conflict) => conflict.columns(['merchant_id', 'kind', 'value']).doNothing()).returning(['kind', 'value']).execute();
    rows.forEach((row) => claimed.add(`${row.kind}:${row.value}`));
  }
  return claimed;
}

/** Which person holds each of these identities (not following merges): "kind:value" → person id. */
export async function findIdentityHolders(db: Executor, merchantId: string, kind: IdentityKind, values: string[]): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  for (const page of chunk(values)) {
    const rows = await db.selectFrom('person_identities').select(['value', 'person_id'])
      .where('merchant_id', '=', merchantId).where('kind', '=', kind).where('value', 'in', page).execute();
    rows.forEach((row) => holders.set(`${kind}:${row.value}`, row.person_id));
  }
  return holders;
}

export async function findPeople(db: Executor, merchantId: string, personIds: string[]): Promise<PeopleTable[]> {
  const people: PeopleTable[] = [];
  for (const page of chunk(personIds)) {
    people.push(...await db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).where('id', 'in', page).execute());
  }
  return people;
}

export async function insertPeople(db: Executor, rows: PeopleTable[]): Promise<void> {
  // Seven columns a row: 500 rows stay under every dialect's limit of bind parameters.
  for (const page of chunk(rows)) await db.insertInto('people').values(page).execute();
}

export async function updatePerson(db: Executor, merchantId: string, personId: string, changes: Partial<Omit<PeopleTable, 'merchant_id' | 'id'>>): Promise<void> {
  await db.updateTable('people').set(changes).where('merchant_id', '=', merchantId).where('id', '=', personId).execute();
}

/**
 * Writes people's first and last seen times, 500 people a statement (a round trip each on
 * PostgreSQL instead of one per person). The rows are locked first in id order, so two transactions
 * updating the same people wait for each other instead of deadlocking.
 */
export async function updatePeopleSeenTimes(db: Executor, dialect: StoreDialect, merchantId: string, people: Pick<PeopleTable, 'id' | 'first_seen_at_ms' | 'last_seen_at_ms'>[]): Promise<void> {
  const sorted = [...people].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const page of chunk(sorted)) {
    await dialect.lockRows(db.selectFrom('people').select('id').where('merchant_id', '=', merchantId).where('id', 'in', page.map((person) => person.id)).orderBy('id')).execute();
    // Cast: PostgreSQL reads untyped VALUES parameters as text.
    const rows = sql.join(page.map((person) => sql`(${person.id}, cast(${person.first_seen_at_ms} as bigint), cast(${person.last_seen_at_ms} as bigint))`));
    await sql`with seen (id, first_seen_at_ms, last_seen_at_ms) as (values ${rows})
      update people set first_seen_at_ms = seen.first_seen_at_ms, last_seen_at_ms = seen.last_seen_at_ms
      from seen where people.merchant_id = ${merchantId} and people.id = seen.id`.execute(db);
  }
}

/** Moves every identity of one person to another (a merge). */
export async function moveIdentities(db: Executor, merchantId: string, fromPersonId: string, intoPersonId: string): Promise<void> {
  await db.updateTable('person_identities').set({ person_id: intoPersonId }).where('merchant_id', '=', merchantId).where('person_id', '=', fromPersonId).execute();
}

export async function insertIdentityConflict(db: Executor, row: Database['identity_conflicts']): Promise<void> {
  await db.insertInto('identity_conflicts').values(row).execute();
}

export async function findPerson(db: Executor, merchantId: string, personId: string): Promise<PeopleTable | undefined> {
  return db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).where('id', '=', personId).executeTakeFirst();
}

export async function findPersonOfMember(db: Executor, merchantId: string, memberId: string): Promise<PeopleTable | undefined> {
  return db.selectFrom('people').selectAll().where('merchant_id', '=', merchantId).where('member_id', '=', memberId)
    .where('merged_into_person_id', 'is', null).executeTakeFirst();
}

/** A person and everyone merged into it, directly or through others. */
export async function findMergedPersonIds(db: Executor, merchantId: string, personId: string): Promise<string[]> {
  return (await findMergedPersonIdsOfMany(db, merchantId, [personId])).get(personId) ?? [personId];
}

/**
 * For each of these people, the person and everyone merged into it, directly or through others,
 * read for all of them at once (one statement per level of merges, not per person).
 */
export async function findMergedPersonIdsOfMany(db: Executor, merchantId: string, personIds: string[]): Promise<Map<string, string[]>> {
  const mergedInto = new Map<string, string[]>();
  const visited = new Set(personIds);
  for (let frontier = [...visited]; frontier.length > 0 && visited.size < 1000 * personIds.length;) {
    const next: string[] = [];
    for (const page of chunk(frontier)) {
      const rows = await db.selectFrom('people').select(['id', 'merged_into_person_id']).where('merchant_id', '=', merchantId)
        .where('merged_into_person_id', 'in', page).execute();
      for (const row of rows) {
        const parent = row.merged_into_person_id as string;
        mergedInto.set(parent, [...(mergedInto.get(parent) ?? []), row.id]);
        if (!visited.has(row.id)) {
          visited.add(row.id);
          next.push(row.id);
        }
      }
    }
    frontier = next;
  }
  const result = new Map<string, string[]>();
  for (const personId of personIds) {
    const all = [personId];
    // The bound guards a bug (a cycle), as merges always point at a live person when made.
    for (let index = 0; index < all.length && all.length < 1000; index += 1) all.push(...(mergedInto.get(all[index] as string) ?? []));
    result.set(personId, all);
  }
  return result;
}

export async function listIdentities(db: Executor, merchantId: string, personId: string) {
  return db.selectFrom('person_identities').select(['kind', 'value', 'created_at_ms'])
    .where('merchant_id', '=', merchantId).where('person_id', '=', personId).orderBy('created_at_ms').execute();
}

export async function listIdentityConflicts(db: Executor, merchantId: string, personId: string) {
  return db.selectFrom('identity_conflicts').selectAll().where('merchant_id', '=', merchantId)
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('other_person_id', '=', personId)])).orderBy('created_at_ms').execute();
}

/** The anonymous ids each of these people was seen with, by person. */
export async function listAnonymousIdsByPerson(db: Executor, merchantId: string, personIds: string[]): Promise<Map<string, string[]>> {
  const byPerson = new Map<string, string[]>();
  for (const page of chunk(personIds)) {
    const rows = await db.selectFrom('person_identities').select(['person_id', 'value']).where('merchant_id', '=', merchantId)
      .where('kind', '=', 'anonymous').where('person_id', 'in', page).execute();
    for (const row of rows) byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), row.value]);
  }
  return byPerson;
}

/** The anonymous ids a set of people were seen with. */
export async function listAnonymousIdsOfPeople(db: Executor, merchantId: string, personIds: string[]): Promise<string[]> {
  return [...(await listAnonymousIdsByPerson(db, merchantId, personIds)).values()].flat();
}
