import type { ReferralFlag } from '../../domain/referrals/assess-referral';
import type { ReferralDecisionsTable, ReferralsTable } from '../../store/schema';

export type ReferralStatus = 'pending' | 'flagged' | 'converted' | 'rejected';

export interface ReferralView {
  id: string;
  code: string;
  referrerMemberId: string;
  refereeMemberId: string;
  status: ReferralStatus;
  flags: ReferralFlag[];
  createdAt: string;
  convertedAt: string | null;
  decisions?: { action: string; reason: string | null; at: string }[];
}

export function referralView(row: ReferralsTable, decisions?: ReferralDecisionsTable[]): ReferralView {
  return {
    id: row.id, code: row.code, referrerMemberId: row.referrer_member_id, refereeMemberId: row.referee_member_id, status: row.status as ReferralStatus,
    flags: JSON.parse(row.flags_json) as ReferralFlag[], createdAt: new Date(row.created_at_ms).toISOString(),
    convertedAt: row.converted_at_ms === null ? null : new Date(row.converted_at_ms).toISOString(),
    ...(decisions ? { decisions: decisions.map((decision) => ({ action: decision.action, reason: decision.reason, at: new Date(decision.at_ms).toISOString() })) } : {}),
  };
}
