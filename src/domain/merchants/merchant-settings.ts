import type { ExpiryPolicy, LedgerSettings, ReversalPolicy } from '../ledger/types';

export interface MerchantSettingsRow {
  time_zone: string;
  expiry_policy: string;
  expiry_months: number | null;
  reversal_policy: string;
  transfer_min_points: number;
  transfer_max_points: number | null;
  transfer_max_points_per_month: number | null;
  reservation_timeout_seconds: number;
}

export function expiryPolicyFromRow(row: Pick<MerchantSettingsRow, 'expiry_policy' | 'expiry_months'>): ExpiryPolicy {
  switch (row.expiry_policy) {
    case 'months_after_earn':
      return { kind: 'months_after_earn', months: row.expiry_months ?? 12 };
    case 'end_of_year':
      return { kind: 'end_of_year' };
    case 'end_of_next_year':
      return { kind: 'end_of_next_year' };
    default:
      return { kind: 'never' };
  }
}

export function ledgerSettingsFromRow(row: MerchantSettingsRow): LedgerSettings {
  return {
    timeZone: row.time_zone,
    expiryPolicy: expiryPolicyFromRow(row),
    reversalPolicy: row.reversal_policy as ReversalPolicy,
    transferMinPoints: row.transfer_min_points,
    transferMaxPoints: row.transfer_max_points,
    transferMaxPointsPerMonth: row.transfer_max_points_per_month,
    reservationTimeoutSeconds: row.reservation_timeout_seconds,
  };
}
