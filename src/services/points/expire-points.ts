import { listMerchants } from '../../store/merchant-store';
import { findDueLotMembers, findTimedOutHoldMembers } from '../../store/ledger-store';
import type { ServiceContext } from '../context';

/**
 * Sweeps expired lots and timed-out holds into the ledger. Idempotent: a lot that has been swept
 * holds nothing, so running twice (or on two servers) books each expiry once. Correctness does not
 * wait for it: spends and balances already ignore expired lots and timed-out holds.
 * @returns how many members were swept
 */
export async function expirePoints(ctx: ServiceContext, options: { merchantId?: string; batchSize?: number } = {}): Promise<number> {
  const merchantIds = options.merchantId ? [options.merchantId] : (await listMerchants(ctx.store.db)).map((merchant) => merchant.id);
  const batchSize = options.batchSize ?? 500;
  let swept = 0;
  for (const merchantId of merchantIds) {
    for (;;) {
      const nowMs = ctx.nowMs();
      const memberIds = [...new Set([
        ...(await findDueLotMembers(ctx.store.db, merchantId, nowMs, batchSize)),
        ...(await findTimedOutHoldMembers(ctx.store.db, merchantId, nowMs, batchSize)),
      ])];
      if (memberIds.length === 0) break;
      await Promise.all(memberIds.map((memberId) => ctx.ledger.submit({
        merchantId, operation: 'points.expire', requestBody: { memberId }, successStatus: 200, command: { type: 'expire', memberId },
      })));
      swept += memberIds.length;
      if (memberIds.length < batchSize) break;
    }
  }
  return swept;
}
