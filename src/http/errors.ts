// One error code → one HTTP status, in one table. The code is the API contract.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDomainError, type ErrorCode } from '../domain/errors';
import { storeUnavailableError } from '../services/store-unavailable';
import type { StoreDialect } from '../store/dialect';

export const statusByCode: Record<ErrorCode, number> = {
  invalid_request: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  merchant_not_found: 404,
  member_not_found: 404,
  member_conflict: 409,
  invalid_phone: 422,
  transaction_not_found: 404,
  reservation_not_found: 404,
  insufficient_points: 422,
  points_already_spent: 422,
  not_reversible: 422,
  already_reversed: 409,
  reversal_exceeds_earned: 422,
  reservation_expired: 409,
  reservation_not_held: 409,
  transfer_limit_exceeded: 422,
  invalid_transfer: 422,
  idempotency_key_reused: 409,
  reward_not_found: 404,
  reward_unavailable: 422,
  out_of_stock: 409,
  redemption_limit_reached: 422,
  coupon_not_found: 404,
  coupon_not_usable: 422,
  coupon_already_used: 409,
  order_below_minimum: 422,
  referral_refused: 422,
  referral_exists: 409,
  referral_not_found: 404,
  referral_already_decided: 409,
  unsupported_media: 415,
  ugc_not_found: 404,
  ugc_already_decided: 409,
  unavailable: 503,
  internal_error: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return reply.code(statusByCode[code]).type('application/json').send(body);
}

/**
 * Turns anything thrown into `{"error": {code, message, details}}`; only a bug becomes a 500. The
 * database's own failures (full disk, server gone; see storeUnavailableError) become 503.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, dialect: StoreDialect) {
  if (isDomainError(error)) {
    if (error.code === 'unavailable') request.log.error({ reason: error.details?.reason ?? error.message }, 'refused as unavailable');
    return sendError(reply, error.code, error.message, error.details);
  }
  const unavailable = storeUnavailableError(dialect, error);
  if (unavailable) {
    request.log.error({ err: error }, 'the database cannot take requests');
    return sendError(reply, unavailable.code, unavailable.message, unavailable.details);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`.replace(/\.$/, ''),
      message: issue.message,
    }));
    const first = details[0];
    return sendError(reply, 'invalid_request', first ? `${first.path}: ${first.message}` : 'The request is not valid', details);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, 'malformed_json', 'The body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'payload_too_large', 'The body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'invalid_request', 'The body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 'invalid_request', 'Send the body as application/json');
  }
  if (error.statusCode === 429) return sendError(reply, 'rate_limited', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, 'invalid_request', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 'internal_error', `Something went wrong on our side; quote request id ${request.id}`);
}
