import type { ServiceContext } from '../context';
import { evaluateMemberTier, loadProgram } from './evaluate-member-tier';
import { tierProgramOf } from './manage-tier-program';

/** Moves members up at once when they cross a threshold; errors are logged, the periodic evaluation catches up. */
export async function upgradeTiers(ctx: ServiceContext, merchantId: string, memberIds: readonly string[]): Promise<void> {
  try {
    if (memberIds.length === 0 || !(await tierProgramOf(ctx, merchantId))) return;
    const loaded = await loadProgram(ctx, merchantId);
    for (const memberId of memberIds) await evaluateMemberTier(ctx, merchantId, memberId, { periodic: false, loaded });
  } catch (error) {
    ctx.logger.error({ err: error, merchantId }, 'tier upgrade failed; the periodic evaluation will retry');
  }
}
