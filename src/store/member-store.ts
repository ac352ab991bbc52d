import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, MembersTable } from './schema';
import { chunk } from './chunk';

type Executor = Kysely<Database> | Transaction<Database>;

export type MemberLookupField = 'external_id' | 'phone_e164' | 'email' | 'line_user_id';

export async function insertMember(db: Executor, row: MembersTable): Promise<void> {
  await db.insertInto('members').values(row).execute();
}

/** Writes the rows whose externalId no member has yet. @returns the ids of the rows written */
export async function insertMembersUnlessExternalIdTaken(db: Executor, rows: MembersTable[]): Promise<Set<string>> {
  const written = new Set<string>();
  for (const page of chunk(rows)) {
    const inserted = await db.insertInto('members').values(page)
      .onConflict((conflict) => conflict.columns(['merchant_id', 'external_id']).doNothing()).returning('id').execute();
    inserted.forEach((row) => written.add(row.id));
  }
  return written;
}

/** The members with these externalIds, by externalId. */
export async function findMembersByExternalIds(db: Executor, merchantId: string, externalIds: string[]): Promise<Map<string, MembersTable>> {
  const members = new Map<string, MembersTable>();
  for (const page of chunk(externalIds)) {
    const rows = await db.selectFrom('members').selectAll().where('merchant_id', '=', merchantId).where('external_id', 'in', page).execute();
    rows.forEach((row) => members.set(row.external_id as string, row));
  }
  return members;
}

export async function findMemberById(db: Executor, merchantId: string, memberId: string): Promise<MembersTable | undefined> {
  return db.selectFrom('members').selectAll().where('merchant_id', '=', merchantId).where('id', '=', memberId).executeTakeFirst();
}

export async function findMemberBy(db: Executor, merchantId: string, field: MemberLookupField, value: string): Promise<MembersTable | undefined> {
  return db.selectFrom('members').selectAll().where('merchant_id', '=', merchantId).where(field, '=', value).executeTakeFirst();
}

export async function updateMember(db: Executor, merchantId: string, memberId: string, changes: Partial<Omit<MembersTable, 'merchant_id' | 'id' | 'created_at_ms'>>): Promise<void> {
  await db.updateTable('members').set(changes).where('merchant_id', '=', merchantId).where('id', '=', memberId).execute();
}

/**
 * A page of members in id order (ids sort by creation time), after `afterId`; with `search`, only
 * those whose name, email or external id holds it (any case), or whose phone holds its digits.
 */
export async function listMembers(db: Executor, merchantId: string, limit: number, afterId: string | null, search: string | null = null): Promise<MembersTable[]> {
  let query = db.selectFrom('members').selectAll().where('merchant_id', '=', merchantId);
  if (afterId) query = query.where('id', '>', afterId);
  if (search) {
    const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const digits = search.replace(/\D/g, '').replace(/^0/, '');
    query = query.where((eb) => eb.or([
      eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
      eb(sql`lower(email)`, 'like', sql`${pattern} escape '\\'`),
      eb(sql`lower(external_id)`, 'like', sql`${pattern} escape '\\'`),
      ...(digits.length >= 3 ? [eb('phone_e164', 'like', `%${digits}%`)] : []),
    ]));
  }
  return query.orderBy('id').limit(limit).execute();
}

/** Members whose birthday falls on one of these MM-DD days. */
export async function findMembersWithBirthday(db: Executor, merchantId: string, monthDays: string[]): Promise<MembersTable[]> {
  if (monthDays.length === 0) return [];
  return db.selectFrom('members').selectAll().where('merchant_id', '=', merchantId)
    .where((eb) => eb.or(monthDays.map((monthDay) => eb('birthday', 'like', `____-${monthDay}`)))).execute();
}
