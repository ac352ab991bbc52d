// Domain failures are values with a stable code: the code is the API contract, the message is for people.
// http/errors.ts maps each code to exactly one HTTP status.
export const errorCodes = [
  'invalid_request',
  'malformed_json',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'merchant_not_found',
  'member_not_found',
  'member_conflict',
  'invalid_phone',
  'transaction_not_found',
  'reservation_not_found',
  'insufficient_points',
  'points_already_spent',
  'not_reversible',
  'already_reversed',
  'reversal_exceeds_earned',
  'reservation_expired',
  'reservation_not_held',
  'transfer_limit_exceeded',
  'invalid_transfer',
  'idempotency_key_reused',
  'reward_not_found',
  'reward_unavailable',
  'out_of_stock',
  'redemption_limit_reached',
  'coupon_not_found',
  'coupon_not_usable',
  'coupon_already_used',
  'order_below_minimum',
  'referral_refused',
  'referral_exists',
  'referral_not_found',
  'referral_already_decided',
  'unsupported_media',
  'ugc_not_found',
  'ugc_already_decided',
  'unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
