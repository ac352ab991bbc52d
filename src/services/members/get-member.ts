import { DomainError } from '../../domain/errors';
import { normalizeEmail, normalizePhone } from '../../domain/members/normalize-contact';
import { findMemberBy, findMemberById, listMembers as listMemberRows } from '../../store/member-store';
import type { ServiceContext } from '../context';
import { memberView, type MemberView } from './member-view';

export async function getMember(ctx: ServiceContext, merchantId: string, memberId: string): Promise<MemberView> {
  const row = await findMemberById(ctx.store.db, merchantId, memberId);
  if (!row) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  return memberView(row);
}

export interface MemberLookup {
  externalId?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  lineUserId?: string | undefined;
}

/** The member with this identifier, or null. The phone may be written in any common form. */
export async function findMember(ctx: ServiceContext, merchantId: string, lookup: MemberLookup): Promise<MemberView | null> {
  const db = ctx.store.db;
  const row = lookup.externalId !== undefined ? await findMemberBy(db, merchantId, 'external_id', lookup.externalId)
    : lookup.phone !== undefined ? await findMemberBy(db, merchantId, 'phone_e164', normalizePhone(lookup.phone))
    : lookup.email !== undefined ? await findMemberBy(db, merchantId, 'email', normalizeEmail(lookup.email))
    : lookup.lineUserId !== undefined ? await findMemberBy(db, merchantId, 'line_user_id', lookup.lineUserId)
    : undefined;
  return row ? memberView(row) : null;
}

/** One page of members; pass the returned `nextCursor` to get the next page. */
export async function listMembers(ctx: ServiceContext, merchantId: string, options: { limit: number; cursor?: string | undefined; q?: string | undefined }) {
  const rows = await listMemberRows(ctx.store.db, merchantId, options.limit + 1, options.cursor ?? null, options.q?.trim() || null);
  const page = rows.slice(0, options.limit);
  return { members: page.map(memberView), nextCursor: rows.length > options.limit ? page[page.length - 1]?.id ?? null : null };
}
