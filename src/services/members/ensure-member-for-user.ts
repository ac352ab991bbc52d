import type { Transaction } from 'kysely';
import { isDomainError } from '../../domain/errors';
import { findMemberBy, findMembersByExternalIds, insertMembersUnlessExternalIdTaken, updateMember } from '../../store/member-store';
import type { Database, MembersTable } from '../../store/schema';
import { issueSignupCoupons } from '../rewards/issue-signup-coupons';
import type { ServiceContext } from '../context';
import { memberColumns } from './member-fields';

const traitFields = ['phone', 'email', 'name', 'birthday'] as const;

/**
 * The member whose externalId is this user id, made if there is none, with identify traits (phone,
 * email, name, birthday) filled in. A trait that is invalid, or that another member already has, is
 * skipped rather than failing the event. Runs inside the caller's transaction.
 * @param known the member as the caller read it earlier in this transaction (null: there was none), to save a read
 */
export async function ensureMemberForUser(
  ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, userId: string, traits: Record<string, unknown> | null, nowMs: number,
  known?: MembersTable | null,
): Promise<string> {
  let member = known === undefined ? await findMemberBy(trx, merchantId, 'external_id', userId) : known ?? undefined;
  if (!member) member = (await createMembersForUsers(ctx, trx, merchantId, new Map([[userId, nowMs]]))).get(userId);
  if (!member) throw new Error(`member for user ${userId} could not be created`);
  if (!traits) return member.id;
  const changes: Partial<MembersTable> = {};
  for (const field of traitFields) {
    const value = traits[field];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (field === 'birthday' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) continue;
    try {
      const columns = memberColumns({ [field]: value });
      const [column, normalized] = Object.entries(columns)[0] as [keyof MembersTable, string];
      if (member[column] === normalized) continue;
      if (column === 'phone_e164' || column === 'email') {
        const holder = await findMemberBy(trx, merchantId, column, normalized);
        if (holder && holder.id !== member.id) continue;
      }
      Object.assign(changes, columns);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  if (Object.keys(changes).length > 0) await updateMember(trx, merchantId, member.id, { ...changes, updated_at_ms: nowMs });
  return member.id;
}

/**
 * Makes the members of user ids (externalIds) that had none when read, in one statement, with
 * their sign-up gifts: for one user or a whole batch of events. Another request may make some of
 * them at the same moment; then its rows are the members.
 * @param createdAtMs each user id's creation time
 */
export async function createMembersForUsers(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, createdAtMs: ReadonlyMap<string, number>): Promise<Map<string, MembersTable>> {
  const members = new Map<string, MembersTable>();
  if (createdAtMs.size === 0) return members;
  // In externalId order, so two transactions making the same members lock them in the same order.
  const rows = [...createdAtMs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([userId, nowMs]): MembersTable => ({
    merchant_id: merchantId, id: ctx.newId('mbr'), external_id: userId, phone_e164: null, email: null, line_user_id: null,
    name: null, birthday: null, created_at_ms: nowMs, updated_at_ms: nowMs,
  }));
  const written = await insertMembersUnlessExternalIdTaken(trx, rows);
  for (const row of rows) {
    if (!written.has(row.id)) continue;
    members.set(row.external_id as string, row);
    await issueSignupCoupons(ctx, trx, merchantId, row.id, row.created_at_ms);
  }
  const takenMeanwhile = rows.filter((row) => !written.has(row.id)).map((row) => row.external_id as string);
  for (const [userId, member] of await findMembersByExternalIds(trx, merchantId, takenMeanwhile)) members.set(userId, member);
  return members;
}
