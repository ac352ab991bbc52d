import { DomainError } from '../../domain/errors';
import { findMemberById, updateMember as updateMemberRow } from '../../store/member-store';
import type { MembersTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { assertMemberFieldsFree, conflictFromUniqueViolation, memberColumns, type MemberFieldsInput } from './member-fields';
import { memberView, type MemberView } from './member-view';

/** Changes the given fields of a member; null clears a field. */
export async function updateMember(ctx: ServiceContext, merchantId: string, memberId: string, input: MemberFieldsInput): Promise<MemberView> {
  const current = await findMemberById(ctx.store.db, merchantId, memberId);
  if (!current) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  const columns = memberColumns(input);
  await assertMemberFieldsFree(ctx, merchantId, columns, memberId);
  const changes = { ...columns, updated_at_ms: ctx.nowMs() };
  try {
    await updateMemberRow(ctx.store.db, merchantId, memberId, changes);
  } catch (error) {
    if (ctx.store.dialect.isUniqueViolation(error)) throw conflictFromUniqueViolation(error);
    throw error;
  }
  return memberView({ ...current, ...changes } as MembersTable);
}
