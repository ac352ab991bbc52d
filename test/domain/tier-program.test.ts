import { describe, expect, it } from 'vitest';
import { decideTierMove, qualifyingTier, type TierProgram } from '../../src/domain/tiers/tier-program';

const program: TierProgram = {
  basis: 'points_earned', windowMonths: 12, graceDays: 30,
  tiers: [
    { key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' },
    { key: 'silver', name: 'Silver', threshold: 1000, multiplierPercent: 125, benefits: '' },
    { key: 'gold', name: 'Gold', threshold: 5000, multiplierPercent: 150, benefits: '' },
  ],
};
const day = 86_400_000;

describe('tier moves', () => {
  it('qualifies by the highest threshold reached', () => {
    expect(qualifyingTier(program, 0).key).toBe('member');
    expect(qualifyingTier(program, 999).key).toBe('member');
    expect(qualifyingTier(program, 1000).key).toBe('silver');
    expect(qualifyingTier(program, 99_999).key).toBe('gold');
  });

  it('upgrades at once, downgrades only periodically and after the grace period', () => {
    const silver = program.tiers[1]!;
    const member = program.tiers[0]!;
    expect(decideTierMove(program, 'member', silver, null, 0, false)).toEqual({ kind: 'upgrade', to: silver });
    expect(decideTierMove(program, 'gold', member, null, 0, false)).toEqual({ kind: 'stay', belowSinceMs: null });
    expect(decideTierMove(program, 'gold', member, null, 10 * day, true)).toEqual({ kind: 'stay', belowSinceMs: 10 * day });
    expect(decideTierMove(program, 'gold', member, 10 * day, 39 * day, true)).toEqual({ kind: 'stay', belowSinceMs: 10 * day });
    expect(decideTierMove(program, 'gold', member, 10 * day, 40 * day, true)).toEqual({ kind: 'downgrade', to: member });
    expect(decideTierMove(program, 'gold', program.tiers[2]!, 10 * day, 40 * day, true)).toEqual({ kind: 'stay', belowSinceMs: null });
  });
});
