import { DomainError } from '../../domain/errors';
import { qualifyingTier, type TierProgram } from '../../domain/tiers/tier-program';
import { findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import { findMemberTiers, findTierProgram, listTierChanges, saveTierProgram } from '../../store/tier-store';
import type { ServiceContext } from '../context';
import { qualifyingValue } from './evaluate-member-tier';

const programCache = new Map<string, { program: TierProgram | null; atMs: number }>();

/** The merchant's tier program, cached for a few seconds: it is read on every earn. */
export async function tierProgramOf(ctx: ServiceContext, merchantId: string): Promise<TierProgram | null> {
  const cached = programCache.get(merchantId);
  if (cached && Date.now() - cached.atMs < 5_000) return cached.program;
  const program = await findTierProgram(ctx.store.db, merchantId);
  programCache.set(merchantId, { program, atMs: Date.now() });
  return program;
}

/** Saves the tier program: ascending thresholds from 0, unique keys. Members move at their next evaluation. */
export async function saveTierProgramFor(ctx: ServiceContext, merchantId: string, program: TierProgram): Promise<TierProgram> {
  const keys = new Set(program.tiers.map((tier) => tier.key));
  if (keys.size !== program.tiers.length) throw new DomainError('invalid_request', 'Tier keys must be unique');
  if (program.tiers[0]?.threshold !== 0) throw new DomainError('invalid_request', 'The first tier must have threshold 0: every member starts there');
  for (let index = 1; index < program.tiers.length; index += 1) {
    if ((program.tiers[index]?.threshold ?? 0) <= (program.tiers[index - 1]?.threshold ?? 0)) {
      throw new DomainError('invalid_request', 'Tier thresholds must rise from one tier to the next');
    }
  }
  await saveTierProgram(ctx.store.db, merchantId, program, ctx.nowMs());
  programCache.delete(merchantId);
  return program;
}

export async function getTierProgram(ctx: ServiceContext, merchantId: string): Promise<TierProgram | null> {
  return findTierProgram(ctx.store.db, merchantId);
}

/** A member's tier, what they qualify with now, what the next tier needs, and their tier history. */
export async function getMemberTier(ctx: ServiceContext, merchantId: string, memberId: string) {
  const db = ctx.store.db;
  if (!(await findMemberById(db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  const [program, merchant] = await Promise.all([findTierProgram(db, merchantId), findMerchantById(db, merchantId)]);
  if (!program || !merchant) throw new DomainError('not_found', 'This merchant has no tier program');
  const nowMs = ctx.nowMs();
  const [row] = await findMemberTiers(db, merchantId, [memberId]);
  const tierKey = row?.tier_key ?? (program.tiers[0]?.key as string);
  const tier = program.tiers.find((candidate) => candidate.key === tierKey) ?? program.tiers[0];
  const value = await qualifyingValue(ctx, merchantId, memberId, program, nowMs, merchant.time_zone);
  const index = program.tiers.findIndex((candidate) => candidate.key === tierKey);
  const next = program.tiers[index + 1] ?? null;
  return {
    tier: tier as TierProgram['tiers'][number],
    since: row ? new Date(row.since_ms).toISOString() : null,
    qualifyingValue: value,
    qualifiesFor: qualifyingTier(program, value).key,
    nextTier: next ? { key: next.key, name: next.name, missing: Math.max(0, next.threshold - value) } : null,
    belowSince: row?.below_since_ms ? new Date(row.below_since_ms).toISOString() : null,
    changes: (await listTierChanges(db, merchantId, memberId)).map((change) => ({ from: change.from_tier, to: change.to_tier, direction: change.direction, at: new Date(change.at_ms).toISOString() })),
  };
}
