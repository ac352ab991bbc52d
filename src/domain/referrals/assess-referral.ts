// The anti-fraud checks of a referral: self-referral is refused outright; anything that suggests
// the referrer and the friend are one person, or that the friend is not new, sends the referral to
// the review queue with the reasons.
export const referralFlags = ['shared_phone', 'shared_email', 'shared_line_id', 'shared_device', 'shared_ip', 'existing_member', 'already_ordered', 'weekly_limit'] as const;
export type ReferralFlag = (typeof referralFlags)[number];

export interface ReferralParty {
  memberId: string;
  phone: string | null;
  email: string | null;
  lineUserId: string | null;
  createdAtMs: number;
  /** Anonymous (device) ids the person's events carried. */
  deviceIds: readonly string[];
  /** IP addresses the person's events came from. */
  ips: readonly string[];
}

export interface ReferralAssessment { refused: string | null; flags: ReferralFlag[] }

/** A member made within this long before the referral still counts as new (signing up takes a moment). */
export const newMemberGraceMs = 24 * 3_600_000;
export const weekMs = 7 * 86_400_000;

export function assessReferral(input: {
  referrer: ReferralParty;
  referee: ReferralParty;
  refereeHasOrdered: boolean;
  referrerReferralsThisWeek: number;
  weeklyLimit: number;
  nowMs: number;
}): ReferralAssessment {
  const { referrer, referee } = input;
  if (referrer.memberId === referee.memberId) return { refused: 'A member cannot refer themselves', flags: [] };
  const flags: ReferralFlag[] = [];
  const same = (a: string | null, b: string | null) => a !== null && b !== null && a === b;
  const overlap = (a: readonly string[], b: readonly string[]) => a.some((value) => b.includes(value));
  if (same(referrer.phone, referee.phone)) flags.push('shared_phone');
  if (same(referrer.email, referee.email)) flags.push('shared_email');
  if (same(referrer.lineUserId, referee.lineUserId)) flags.push('shared_line_id');
  if (overlap(referrer.deviceIds, referee.deviceIds)) flags.push('shared_device');
  if (overlap(referrer.ips, referee.ips)) flags.push('shared_ip');
  if (referee.createdAtMs < input.nowMs - newMemberGraceMs) flags.push('existing_member');
  if (input.refereeHasOrdered) flags.push('already_ordered');
  if (input.referrerReferralsThisWeek >= input.weeklyLimit) flags.push('weekly_limit');
  return { refused: null, flags };
}
