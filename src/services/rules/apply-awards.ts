import { isDomainError } from '../../domain/errors';
import { findAward, findPendingAwards, markAwards, type AwardMark } from '../../store/rules-store';
import { retryOnConflict } from '../../store/retry';
import type { PointAwardsTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { upgradeTiers } from '../tiers/upgrade-tiers';

/**
 * Applies pending awards to the ledger: an earn credits the member, a reverse takes back the earn
 * it names. Safe to run any number of times and on any number of servers: each award is a ledger
 * command whose Idempotency-Key is the award id, so a second run replays the first. A page of awards
 * goes to the ledger at once, so they share group commits; a reverse waits until its earn is applied.
 * @returns how many awards were settled
 */
export async function applyAwards(ctx: ServiceContext, merchantId: string, limit = 500): Promise<number> {
  const pending = await findPendingAwards(ctx.store.db, merchantId, limit);
  const marks = await Promise.all(pending.map((award) => applyAward(ctx, merchantId, award)));
  // One statement for the page (was one commit per award). Should this process stop first, the
  // awards stay pending and the next run replays them from the ledger.
  await retryOnConflict(ctx.store.dialect, () => markAwards(ctx.store.db, merchantId, marks.filter((mark) => mark !== null)));
  const settled = marks.map((mark) => mark !== null);
  // Points earned may lift members into a higher tier at once.
  await upgradeTiers(ctx, merchantId, [...new Set(pending.filter((award, index) => award.kind === 'earn' && settled[index]).map((award) => award.member_id))]);
  return settled.filter(Boolean).length;
}

/** What became of an award, to be recorded; null when it must wait for the earn it reverses. */
async function applyAward(ctx: ServiceContext, merchantId: string, award: PointAwardsTable): Promise<AwardMark | null> {
  const db = ctx.store.db;
  try {
    if (award.kind === 'earn') {
      const result = await ctx.ledger.submit({
        merchantId, idempotencyKey: `award:${award.id}`, operation: 'points.earn', successStatus: 201,
        requestBody: { awardId: award.id },
        command: { type: 'earn', memberId: award.member_id, points: award.points, reason: `rule ${award.rule_id}`, availableAtMs: award.available_at_ms, expiresAtMs: award.expires_at_ms ?? undefined },
      });
      return { awardId: award.id, status: 'applied', transaction_id: result.body.transaction?.id ?? null };
    }
    const earned = award.reverses_award_id ? await findAward(db, merchantId, award.reverses_award_id) : undefined;
    if (!earned || earned.status === 'failed') {
      return { awardId: award.id, status: 'failed', failure: 'the earn it reverses was never applied' };
    }
    if (earned.status === 'pending' || !earned.transaction_id) return null;
    const result = await ctx.ledger.submit({
      merchantId, idempotencyKey: `award:${award.id}`, operation: 'points.reverse', successStatus: 201,
      requestBody: { awardId: award.id },
      command: { type: 'reverse', transactionId: earned.transaction_id, reason: 'order refunded' },
    });
    return { awardId: award.id, status: 'applied', transaction_id: result.body.transaction?.id ?? null };
  } catch (error) {
    // A rule says no (points already spent under the refuse policy, already reversed): record why.
    if (!isDomainError(error)) throw error;
    return { awardId: award.id, status: 'failed', failure: `${error.code}: ${error.message}` };
  }
}
