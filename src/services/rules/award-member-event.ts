import type { Transaction } from 'kysely';
import { basePoints, cappedPoints } from '../../domain/rules/earning-rule';
import { findMerchantById } from '../../store/merchant-store';
import { findPastAwards, insertAwards, listRules } from '../../store/rules-store';
import type { Database, PointAwardsTable } from '../../store/schema';
import { findMemberTiers, findTierProgram } from '../../store/tier-store';
import { capWindowStartMs } from './plan-awards';

const dayMs = 86_400_000;

/**
 * Awards what the merchant's rules give a member for something Sentang itself saw happen (a
 * referral converting, a friend clicking a shared link): the rules on that event name, their
 * conditions, the member's tier multiplier and the caps, written to the outbox in the caller's
 * transaction. An award's id is the rule and `awardKey`, so the same happening never pays twice.
 * @returns the points awarded in all
 */
export async function awardMemberEvent(trx: Transaction<Database>, merchantId: string, memberId: string,
  happening: { name: string; properties: Record<string, unknown>; timestampMs: number; awardKey: string }, nowMs: number): Promise<number> {
  const rules = (await listRules(trx, merchantId, true)).filter((rule) => rule.event === happening.name);
  const merchant = rules.length > 0 ? await findMerchantById(trx, merchantId) : undefined;
  if (!merchant) return 0;
  const program = await findTierProgram(trx, merchantId);
  const tierKey = program ? (await findMemberTiers(trx, merchantId, [memberId]))[0]?.tier_key ?? program.tiers[0]?.key : undefined;
  const multiplierPercent = program?.tiers.find((tier) => tier.key === tierKey)?.multiplierPercent ?? 100;
  const event = { name: happening.name, type: 'track', properties: happening.properties, timestampMs: happening.timestampMs };
  const awards: PointAwardsTable[] = [];
  for (const rule of rules) {
    const points = Math.floor((basePoints(rule, event) * multiplierPercent) / 100);
    if (points <= 0) continue;
    const past = await findPastAwards(trx, merchantId, memberId, rule.id, capWindowStartMs(rule, happening.timestampMs, merchant.time_zone));
    const awarded = cappedPoints(rule, points, happening.timestampMs, past, merchant.time_zone);
    if (awarded <= 0) continue;
    const availableAtMs = Math.max(nowMs, happening.timestampMs + rule.pendingDays * dayMs);
    awards.push({
      merchant_id: merchantId, id: `${rule.id}:${happening.awardKey}`, kind: 'earn', rule_id: rule.id, member_id: memberId, points: awarded,
      event_id: happening.awardKey, order_id: null, event_at_ms: happening.timestampMs, available_at_ms: availableAtMs,
      expires_at_ms: rule.expiresInDays === null ? null : availableAtMs + rule.expiresInDays * dayMs,
      reverses_award_id: null, status: 'pending', transaction_id: null, failure: null, created_at_ms: nowMs,
    });
  }
  await insertAwards(trx, awards);
  return awards.reduce((sum, award) => sum + award.points, 0);
}
