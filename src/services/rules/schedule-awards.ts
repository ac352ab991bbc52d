import { findMerchantsWithPendingAwards } from '../../store/rules-store';
import type { ServiceContext } from '../context';
import { applyAwards } from './apply-awards';

// One run per merchant at a time in this process; a request that arrives meanwhile asks for one more.
const running = new Map<string, { again: boolean; done: Promise<void> }>();

/** Applies the merchant's pending awards soon, after the current run if one is going. */
export function scheduleAwards(ctx: ServiceContext, merchantId: string): Promise<void> {
  const current = running.get(merchantId);
  if (current) {
    current.again = true;
    return current.done;
  }
  const state = { again: false, done: Promise.resolve() };
  state.done = (async () => {
    try {
      do {
        state.again = false;
        while ((await applyAwards(ctx, merchantId)) > 0) { /* keep going while there is work */ }
      } while (state.again);
    } catch (error) {
      ctx.logger.error({ err: error, merchantId }, 'applying point awards failed; the sweep will retry');
    } finally {
      running.delete(merchantId);
    }
  })();
  running.set(merchantId, state);
  return state.done;
}

/** The sweep: awards left pending by a crash or a failed run, for every merchant. */
export async function sweepAwards(ctx: ServiceContext): Promise<void> {
  for (const merchantId of await findMerchantsWithPendingAwards(ctx.store.db)) await scheduleAwards(ctx, merchantId);
}
