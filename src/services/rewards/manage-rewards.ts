import { DomainError } from '../../domain/errors';
import { normalizeCouponCode, validateRewardValue, type Reward, type RewardKind } from '../../domain/rewards/reward';
import {
  countFreeRewardCodes, findReward, insertReward, insertRewardCodes, listRewardRows, rewardFromRow, rewardToRow, updateRewardRow,
} from '../../store/rewards-store';
import type { ServiceContext } from '../context';
import { rewardView, type RewardView } from './reward-views';

export interface RewardInput {
  nameTh: string;
  nameEn: string;
  descriptionTh?: string | undefined;
  descriptionEn?: string | undefined;
  imageUrl?: string | null | undefined;
  kind: RewardKind;
  value?: number | null | undefined;
  minOrderSatang?: number | undefined;
  costPoints: number;
  stock?: number | null | undefined;
  perMemberLimit?: number | null | undefined;
  startsAt?: string | null | undefined;
  endsAt?: string | null | undefined;
  tiers?: string[] | undefined;
  couponValidDays?: number | undefined;
  refundOnCancel?: boolean | undefined;
  issueOnSignup?: boolean | undefined;
  usesCodePool?: boolean | undefined;
  active?: boolean | undefined;
}

const msOf = (value: string | null | undefined) => (value === null || value === undefined ? null : Date.parse(value));

function checkWindow(reward: Reward): void {
  validateRewardValue(reward.kind, reward.value);
  if (reward.startsAtMs !== null && reward.endsAtMs !== null && reward.endsAtMs <= reward.startsAtMs) throw new DomainError('invalid_request', 'endsAt must be after startsAt');
  if (reward.issueOnSignup && reward.costPoints !== 0) throw new DomainError('invalid_request', 'A sign-up gift costs 0 points');
}

/** Adds a reward to the catalogue. */
export async function createReward(ctx: ServiceContext, merchantId: string, input: RewardInput): Promise<RewardView> {
  const reward: Reward = {
    id: ctx.newId('rwd'), nameTh: input.nameTh, nameEn: input.nameEn, descriptionTh: input.descriptionTh ?? '', descriptionEn: input.descriptionEn ?? '',
    imageUrl: input.imageUrl ?? null, kind: input.kind, value: input.value ?? null, minOrderSatang: input.minOrderSatang ?? 0, costPoints: input.costPoints,
    stockTotal: input.stock ?? null, stockRemaining: input.stock ?? null, perMemberLimit: input.perMemberLimit ?? null,
    startsAtMs: msOf(input.startsAt), endsAtMs: msOf(input.endsAt), tiers: input.tiers ?? [], couponValidDays: input.couponValidDays ?? 30,
    refundOnCancel: input.refundOnCancel ?? true, issueOnSignup: input.issueOnSignup ?? false, usesCodePool: input.usesCodePool ?? false, active: input.active ?? true,
  };
  checkWindow(reward);
  const nowMs = ctx.nowMs();
  await insertReward(ctx.store.db, rewardToRow(merchantId, reward, nowMs, nowMs));
  return rewardView(reward, reward.usesCodePool ? 0 : null);
}

async function loadReward(ctx: ServiceContext, merchantId: string, rewardId: string): Promise<Reward> {
  const row = await findReward(ctx.store.db, merchantId, rewardId);
  if (!row) throw new DomainError('reward_not_found', `No reward ${rewardId}`);
  return rewardFromRow(row);
}

export async function getReward(ctx: ServiceContext, merchantId: string, rewardId: string): Promise<RewardView> {
  const reward = await loadReward(ctx, merchantId, rewardId);
  return rewardView(reward, reward.usesCodePool ? await countFreeRewardCodes(ctx.store.db, merchantId, rewardId) : null);
}

export async function listRewards(ctx: ServiceContext, merchantId: string): Promise<RewardView[]> {
  return (await listRewardRows(ctx.store.db, merchantId)).map((row) => rewardView(rewardFromRow(row)));
}

/**
 * Changes a reward. Coupons already issued keep their terms. A new stock sets what is left to that
 * number minus the coupons already taken from the old stock.
 */
export async function updateReward(ctx: ServiceContext, merchantId: string, rewardId: string, patch: Partial<RewardInput>): Promise<RewardView> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await findReward(trx, merchantId, rewardId);
    if (!row) throw new DomainError('reward_not_found', `No reward ${rewardId}`);
    const current = rewardFromRow(row);
    const taken = current.stockTotal !== null && current.stockRemaining !== null ? current.stockTotal - current.stockRemaining : 0;
    const next: Reward = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined && !['stock', 'startsAt', 'endsAt'].includes(key))),
      ...(patch.startsAt !== undefined ? { startsAtMs: msOf(patch.startsAt) } : {}),
      ...(patch.endsAt !== undefined ? { endsAtMs: msOf(patch.endsAt) } : {}),
      ...(patch.stock !== undefined ? { stockTotal: patch.stock, stockRemaining: patch.stock === null ? null : Math.max(0, patch.stock - taken) } : {}),
    };
    checkWindow(next);
    await updateRewardRow(trx, merchantId, rewardId, rewardToRow(merchantId, next, row.created_at_ms, ctx.nowMs()));
    return rewardView(next);
  });
}

/** Uploads a partner's codes for a reward that hands them out; duplicates are ignored. */
export async function uploadRewardCodes(ctx: ServiceContext, merchantId: string, rewardId: string, codes: string[]): Promise<{ added: number; free: number }> {
  const reward = await loadReward(ctx, merchantId, rewardId);
  if (!reward.usesCodePool) throw new DomainError('invalid_request', 'This reward makes its own codes; set usesCodePool to hand out uploaded ones');
  const normalized = [...new Set(codes.map(normalizeCouponCode).filter((code) => code.length > 0))];
  const added = await insertRewardCodes(ctx.store.db, merchantId, rewardId, normalized, ctx.nowMs());
  return { added, free: await countFreeRewardCodes(ctx.store.db, merchantId, rewardId) };
}
