import { isDomainError } from '../../domain/errors';
import { findAward, findPendingAwards, markAward } from '../../store/rules-store';
import type { ServiceContext } from '../context';
import { evaluateMemberTier } from '../tiers/evaluate-member-tier';

/**
 * Applies pending awards to the ledger, oldest first: an earn credits the member, a reverse takes
 * back the earn it names. Safe to run any number of times and on any number of servers: each award
 * is a ledger command whose Idempotency-Key is the award id, so a second run replays the first.
 * A reverse waits until its earn has been applied. @returns how many awards were settled
 */
export async function applyAwards(ctx: ServiceContext, merchantId: string, limit = 500): Promise<number> {
  const db = ctx.store.db;
  let settled = 0;
  for (const award of await findPendingAwards(db, merchantId, limit)) {
    try {
      if (award.kind === 'earn') {
        const result = await ctx.ledger.submit({
          merchantId, idempotencyKey: `award:${award.id}`, operation: 'points.earn', successStatus: 201,
          requestBody: { awardId: award.id },
          command: { type: 'earn', memberId: award.member_id, points: award.points, reason: `rule ${award.rule_id}`, availableAtMs: award.available_at_ms, expiresAtMs: award.expires_at_ms ?? undefined },
        });
        await markAward(db, merchantId, award.id, { status: 'applied', transaction_id: result.body.transaction?.id ?? null });
        await evaluateMemberTier(ctx, merchantId, award.member_id, { periodic: false });
      } else {
        const earned = award.reverses_award_id ? await findAward(db, merchantId, award.reverses_award_id) : undefined;
        if (!earned || earned.status === 'failed') {
          await markAward(db, merchantId, award.id, { status: 'failed', failure: 'the earn it reverses was never applied' });
        } else if (earned.status === 'pending' || !earned.transaction_id) {
          continue;
        } else {
          const result = await ctx.ledger.submit({
            merchantId, idempotencyKey: `award:${award.id}`, operation: 'points.reverse', successStatus: 201,
            requestBody: { awardId: award.id },
            command: { type: 'reverse', transactionId: earned.transaction_id, reason: 'order refunded' },
          });
          await markAward(db, merchantId, award.id, { status: 'applied', transaction_id: result.body.transaction?.id ?? null });
        }
      }
      settled += 1;
    } catch (error) {
      // A rule says no (points already spent under the refuse policy, already reversed): record why.
      if (!isDomainError(error)) throw error;
      await markAward(db, merchantId, award.id, { status: 'failed', failure: `${error.code}: ${error.message}` });
      settled += 1;
    }
  }
  return settled;
}
