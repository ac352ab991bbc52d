import { DomainError } from '../../domain/errors';
import { findMemberById } from '../../store/member-store';
import { upsertConsent } from '../../store/portal-store';
import type { ServiceContext } from '../context';

/** The member opts in or out of marketing messages; the time of the choice is kept (PDPA). */
export async function updateMemberConsent(ctx: ServiceContext, merchantId: string, memberId: string, input: { marketing: boolean }): Promise<{ marketing: boolean; updatedAt: string }> {
  if (!(await findMemberById(ctx.store.db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`);
  const nowMs = ctx.nowMs();
  await upsertConsent(ctx.store.db, { merchant_id: merchantId, member_id: memberId, marketing: input.marketing ? 1 : 0, updated_at_ms: nowMs });
  return { marketing: input.marketing, updatedAt: new Date(nowMs).toISOString() };
}
