import type { Transaction } from 'kysely';
import { isDomainError } from '../../domain/errors';
import { findMemberBy, findMembersByExternalIds, insertMemberUnlessExternalIdTaken, insertMembersUnlessExternalIdTaken, updateMember } from '../../store/member-store';
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
  if (!member) {
    const row: MembersTable = {
      merchant_id: merchantId, id: ctx.newId('mbr'), external_id: userId, phone_e164: null, email: null, line_user_id: null,
      name: null, birthday: null, created_at_ms: nowMs, updated_at_ms: nowMs,
    };
    // Another request may make the same member at the same moment; then its row is the member.
    if (await insertMemberUnlessExternalIdTaken(trx, row)) {
      member = row;
      await issueSignupCoupons(ctx, trx, merchantId, row.id, nowMs);
    } else {
      member = await findMemberBy(trx, merchantId, 'external_id', userId);
    }
  }
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
 * The members of these user ids (externalIds), made in one statement where there is none yet, with
 * their sign-up gifts: what ensureMemberForUser does for each, for a whole batch of events at once.
 * @param firstSeenAtMs when each user id was first seen in the batch (the new member's creation time)
 */
export async function ensureMembersForUsers(ctx: ServiceContext, trx: Transaction<Database>, merchantId: string, firstSeenAtMs: ReadonlyMap<string, number>): Promise<Map<string, MembersTable>> {
  const members = await findMembersByExternalIds(trx, merchantId, [...firstSeenAtMs.keys()]);
  // In externalId order, so two transactions making the same members lock them in the same order.
  const missing = [...firstSeenAtMs].filter(([userId]) => !members.has(userId)).sort(([a], [b]) => (a < b ? -1 : 1));
  if (missing.length === 0) return members;
  const rows = missing.map(([userId, nowMs]): MembersTable => ({
    merchant_id: merchantId, id: ctx.newId('mbr'), external_id: userId, phone_e164: null, email: null, line_user_id: null,
    name: null, birthday: null, created_at_ms: nowMs, updated_at_ms: nowMs,
  }));
  const written = await insertMembersUnlessExternalIdTaken(trx, rows);
  for (const row of rows) {
    if (!written.has(row.id)) continue;
    members.set(row.external_id as string, row);
    await issueSignupCoupons(ctx, trx, merchantId, row.id, row.created_at_ms);
  }
  // Another request made some of them at the same moment: theirs are the members.
  const takenMeanwhile = rows.filter((row) => !written.has(row.id)).map((row) => row.external_id as string);
  for (const [userId, member] of await findMembersByExternalIds(trx, merchantId, takenMeanwhile)) members.set(userId, member);
  return members;
}
