import { DateTime } from 'luxon';
import { decideTierMove, qualifyingTier, type TierProgram } from '../../domain/tiers/tier-program';
import { insertEvents } from '../../store/event-store';
import { findMergedPersonIds, findPersonOfMember } from '../../store/identity-store';
import { findEventsByName } from '../../store/journey-store';
import { findMerchantById } from '../../store/merchant-store';
import { findMemberTiers, findTierProgram, insertTierChange, listMembersWithTier, sumEarnedPoints, upsertMemberTier } from '../../store/tier-store';
import type { ServiceContext } from '../context';

/** What a member's tier is measured on over the program's rolling window: points earned or spend in satang. */
export async function qualifyingValue(ctx: ServiceContext, merchantId: string, memberId: string, program: TierProgram, nowMs: number, timeZone: string): Promise<number> {
  const sinceMs = DateTime.fromMillis(nowMs, { zone: timeZone }).minus({ months: program.windowMonths }).toMillis();
  if (program.basis === 'points_earned') return sumEarnedPoints(ctx.store.db, merchantId, memberId, sinceMs);
  const person = await findPersonOfMember(ctx.store.db, merchantId, memberId);
  if (!person) return 0;
  const orders = await findEventsByName(ctx.store.db, merchantId, await findMergedPersonIds(ctx.store.db, merchantId, person.id), ['Order Completed']);
  return orders.filter((order) => order.timestamp_ms >= sinceMs && order.timestamp_ms <= nowMs).reduce((sum, order) => {
    const revenue = Number((JSON.parse(order.properties_json ?? '{}') as { revenue?: unknown }).revenue);
    return sum + (Number.isFinite(revenue) && revenue > 0 ? Math.round(revenue * 100) : 0);
  }, 0);
}

export interface LoadedProgram {
  program: TierProgram;
  timeZone: string;
}

/** The merchant's tier program and time zone, or null without a program: load once, evaluate many. */
export async function loadProgram(ctx: ServiceContext, merchantId: string): Promise<LoadedProgram | null> {
  const [program, merchant] = await Promise.all([findTierProgram(ctx.store.db, merchantId), findMerchantById(ctx.store.db, merchantId)]);
  return program && merchant && program.tiers.length > 0 ? { program, timeZone: merchant.time_zone } : null;
}

/**
 * Puts a member in the tier their qualifying value reaches: up at once; down only when `periodic`
 * (the scheduled evaluation) and after the grace period. Each change is recorded and emitted as a
 * `Tier Changed` event. Does nothing for a merchant without a tier program.
 */
export async function evaluateMemberTier(ctx: ServiceContext, merchantId: string, memberId: string, options: { periodic: boolean; loaded?: LoadedProgram | null }): Promise<void> {
  const db = ctx.store.db;
  const loaded = options.loaded === undefined ? await loadProgram(ctx, merchantId) : options.loaded;
  if (!loaded) return;
  const { program, timeZone } = loaded;
  const nowMs = ctx.nowMs();
  const value = await qualifyingValue(ctx, merchantId, memberId, program, nowMs, timeZone);
  const qualified = qualifyingTier(program, value);
  const [current] = await findMemberTiers(db, merchantId, [memberId]);
  const currentKey = current?.tier_key ?? (program.tiers[0]?.key as string);
  const move = decideTierMove(program, currentKey, qualified, current?.below_since_ms ?? null, nowMs, options.periodic);
  if (move.kind === 'stay') {
    if (!current || current.below_since_ms !== move.belowSinceMs) {
      await upsertMemberTier(db, { merchant_id: merchantId, member_id: memberId, tier_key: currentKey, since_ms: current?.since_ms ?? nowMs, below_since_ms: move.belowSinceMs });
    }
    return;
  }
  await db.transaction().execute(async (trx) => {
    await upsertMemberTier(trx, { merchant_id: merchantId, member_id: memberId, tier_key: move.to.key, since_ms: nowMs, below_since_ms: null });
    const changeId = ctx.newId('tch');
    await insertTierChange(trx, {
      merchant_id: merchantId, id: changeId, member_id: memberId, from_tier: current ? currentKey : null, to_tier: move.to.key,
      direction: move.kind, qualifying_value: value, at_ms: nowMs,
    });
    const person = await findPersonOfMember(trx, merchantId, memberId);
    if (person) {
      await insertEvents(trx, ctx.store.dialect, merchantId, [{
        id: ctx.newId('evt'), personId: person.id,
        event: {
          messageId: `tier:${changeId}`, type: 'track', eventName: 'Tier Changed', userId: person.user_id, anonymousId: null, previousId: null, groupId: null,
          properties: { from: current ? currentKey : null, to: move.to.key, direction: move.kind, qualifyingValue: value },
          traits: null, context: null, timestampMs: nowMs, originalTimestampMs: null, sentAtMs: null, receivedAtMs: nowMs,
        },
      }]);
    }
  });
}

/** The periodic evaluation: every member with a tier is checked, and moved down after their grace. */
export async function evaluateTiers(ctx: ServiceContext, merchantId: string): Promise<void> {
  const loaded = await loadProgram(ctx, merchantId);
  if (!loaded) return;
  for (const memberId of await listMembersWithTier(ctx.store.db, merchantId)) await evaluateMemberTier(ctx, merchantId, memberId, { periodic: true, loaded });
}
