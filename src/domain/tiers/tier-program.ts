// Tiers: who qualifies for which tier, and when a member moves. Pure.

export interface TierDefinition {
  key: string;
  name: string;
  /** Points earned, or spend in satang, within the window that reaches this tier. */
  threshold: number;
  /** Earn multiplier in percent: 100 is ×1, 150 is ×1.5. */
  multiplierPercent: number;
  benefits: string;
}

export interface TierProgram {
  basis: 'points_earned' | 'spend';
  windowMonths: number;
  /** How long a member may stay below their tier before the periodic evaluation moves them down. */
  graceDays: number;
  /** Ascending thresholds; the first is where every member starts. */
  tiers: TierDefinition[];
}

/** The highest tier the qualifying value reaches. */
export function qualifyingTier(program: TierProgram, value: number): TierDefinition {
  let reached = program.tiers[0] as TierDefinition;
  for (const tier of program.tiers) if (value >= tier.threshold) reached = tier;
  return reached;
}

export type TierMove =
  | { kind: 'stay'; belowSinceMs: number | null }
  | { kind: 'upgrade' | 'downgrade'; to: TierDefinition };

const dayMs = 86_400_000;

/**
 * What happens to a member in `currentKey` whose value now qualifies for `qualified`. Upgrades happen
 * at once; a downgrade only at a periodic evaluation, and only after the member has stayed below
 * for the grace period (counted from `belowSinceMs`, the first evaluation that found them below).
 */
export function decideTierMove(program: TierProgram, currentKey: string, qualified: TierDefinition, belowSinceMs: number | null, nowMs: number, periodic: boolean): TierMove {
  const rank = (key: string) => program.tiers.findIndex((tier) => tier.key === key);
  const current = rank(currentKey);
  const target = rank(qualified.key);
  if (current < 0 || target > current) return { kind: 'upgrade', to: qualified };
  if (target === current) return { kind: 'stay', belowSinceMs: null };
  if (!periodic) return { kind: 'stay', belowSinceMs };
  if (belowSinceMs === null) return { kind: 'stay', belowSinceMs: nowMs };
  return nowMs - belowSinceMs >= program.graceDays * dayMs ? { kind: 'downgrade', to: qualified } : { kind: 'stay', belowSinceMs };
}
