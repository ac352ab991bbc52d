// Request and response schemas, defined once: they validate input, type the handlers and
// become the OpenAPI document.
import { z } from 'zod';
import { errorCodes } from '../domain/errors';

export const maxPointsPerCommand = 1_000_000_000;

export const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'ids hold letters, digits, _ and -');
export const points = z.number().int().positive().max(maxPointsPerCommand);
export const reason = z.string().trim().min(1).max(500);
export const isoDateTime = z.iso.datetime({ offset: true });

export const errorBody = z.object({
  error: z.object({ code: z.enum(errorCodes), message: z.string(), details: z.unknown().optional() }),
}).meta({ id: 'Error' });

export const idParams = z.object({ id });
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().describe('Makes the command safe to retry: a replay returns the first answer'),
});

export const entrySchema = z.object({
  account: z.string(),
  memberId: z.string().nullable(),
  lotId: z.string().nullable(),
  points: z.number().int(),
});

export const transactionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  memberId: z.string(),
  counterpartyMemberId: z.string().nullable(),
  points: z.number().int(),
  reason: z.string().nullable(),
  reversesTransactionId: z.string().nullable(),
  reservationId: z.string().nullable(),
  createdAt: z.string(),
  entries: z.array(entrySchema),
}).meta({ id: 'Transaction' });

export const reservationSchema = z.object({
  id: z.string(),
  memberId: z.string(),
  points: z.number().int(),
  status: z.enum(['held', 'committed', 'voided', 'expired']),
  reason: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
}).meta({ id: 'Reservation' });

export const balanceSchema = z.object({
  availablePoints: z.number().int(),
  pendingPoints: z.number().int(),
  reservedPoints: z.number().int(),
  expiringWithin30DaysPoints: z.number().int(),
  expiring: z.array(z.object({ expiresAt: z.string(), lastUsableDate: z.string(), points: z.number().int() })),
}).meta({ id: 'Balance' });

export const commandResultSchema = z.object({
  transaction: transactionSchema.nullable(),
  reservation: reservationSchema.nullable(),
  balance: balanceSchema.nullable(),
}).meta({ id: 'LedgerCommandResult' });

export const memberSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  phone: z.string().nullable().describe('E.164'),
  email: z.string().nullable(),
  lineUserId: z.string().nullable(),
  name: z.string().nullable(),
  birthday: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Member' });

export const merchantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  expiryPolicy: z.object({ kind: z.enum(['never', 'months_after_earn', 'end_of_year', 'end_of_next_year']), months: z.number().int().optional() }),
  reversalPolicy: z.enum(['refuse', 'allow_negative']),
  transferLimits: z.object({ minPoints: z.number().int(), maxPoints: z.number().int().nullable(), maxPointsPerMonth: z.number().int().nullable() }),
  reservationTimeoutSeconds: z.number().int(),
  atRiskDays: z.number().int(),
  websiteUrl: z.string().nullable(),
  lineChannelId: z.string().nullable(),
  liffId: z.string().nullable(),
  referralConvertsOn: z.enum(['signup', 'first_order']),
  referralWeeklyLimit: z.number().int(),
  createdAt: z.string(),
}).meta({ id: 'Merchant' });

/** Error responses every authenticated endpoint can give. */
export const commonErrors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 429: errorBody };
