import { insertMember } from '../../store/member-store';
import type { ServiceContext } from '../context';
import { issueSignupCoupons } from '../rewards/issue-signup-coupons';
import { assertMemberFieldsFree, conflictFromUniqueViolation, memberColumns, type MemberFieldsInput } from './member-fields';
import { memberView, type MemberView } from './member-view';

/**
 * Creates a member. externalId, phone, email and LINE user id are each unique per merchant.
 * @example await createMember(ctx, merchantId, { phone: '081-234-5678', name: 'Somchai' })
 */
export async function createMember(ctx: ServiceContext, merchantId: string, input: MemberFieldsInput): Promise<MemberView> {
  const columns = memberColumns(input);
  await assertMemberFieldsFree(ctx, merchantId, columns, null);
  const nowMs = ctx.nowMs();
  const row = {
    merchant_id: merchantId, id: ctx.newId('mbr'), external_id: null, phone_e164: null, email: null, line_user_id: null,
    name: null, birthday: null, ...columns, created_at_ms: nowMs, updated_at_ms: nowMs,
  };
  try {
    // The member and their sign-up gifts, together.
    await ctx.store.db.transaction().execute(async (trx) => {
      await insertMember(trx, row);
      await issueSignupCoupons(ctx, trx, merchantId, row.id, nowMs);
    });
  } catch (error) {
    // Two requests raced past the check above; the constraint has the last word.
    if (ctx.store.dialect.isUniqueViolation(error)) throw conflictFromUniqueViolation(error);
    throw error;
  }
  return memberView(row);
}
