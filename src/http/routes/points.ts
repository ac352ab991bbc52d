import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { adjustPoints } from '../../services/points/adjust-points';
import { commitReservation } from '../../services/points/commit-reservation';
import { createReservation } from '../../services/points/create-reservation';
import { earnPoints } from '../../services/points/earn-points';
import { getReservation } from '../../services/points/get-reservation';
import type { LedgerCommandResult } from '../../services/points/ledger-pipeline';
import { getTransaction } from '../../services/points/list-transactions';
import { reverseTransaction } from '../../services/points/reverse-transaction';
import { spendPoints } from '../../services/points/spend-points';
import { transferPoints } from '../../services/points/transfer-points';
import { voidReservation } from '../../services/points/void-reservation';
import { merchantIdOf, staffOf } from '../auth';
import { grantPointsAsStaff } from '../../services/staff/grant-points-as-staff';
import {
  commandResultSchema, commonErrors, errorBody, id, idempotencyHeaders, idParams, isoDateTime, maxPointsPerCommand, points, reason,
  reservationSchema, transactionSchema,
} from '../schemas';

const commandErrors = { ...commonErrors, 409: errorBody, 413: errorBody, 422: errorBody };

function idempotencyKeyOf(request: FastifyRequest): string | null {
  const header = request.headers['idempotency-key'];
  return typeof header === 'string' ? header : null;
}

/**
 * Sends the body as the JSON the ledger made of it (its view functions build exactly the fields of
 * commandResultSchema, in its order; test/points-views.test.ts holds them to it): Fastify sends a
 * JSON string as it is, instead of checking and serializing the object once more per request.
 */
function sendResult(reply: FastifyReply, result: LedgerCommandResult) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.statusCode).header('content-type', 'application/json; charset=utf-8').send(result.bodyJson);
}

const ms = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : Date.parse(value));

export const pointsRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const command = (summary: string, body: z.ZodType, status: 200 | 201 = 201, params?: z.ZodType) => ({
    schema: { tags: ['points'], summary, headers: idempotencyHeaders, ...(params ? { params } : {}), body, response: { [status]: commandResultSchema, ...commandErrors } },
  });

  app.post('/points/earn', command('Credit points as a new lot', z.strictObject({
    memberId: id, points, reason,
    availableAt: isoDateTime.optional().describe('Later than now makes the points pending until then'),
    expiresAt: isoDateTime.nullable().optional().describe("Overrides the merchant's expiry policy; null for never"),
  })), async (request, reply) => {
    const body = request.body as { memberId: string; points: number; reason: string; availableAt?: string; expiresAt?: string | null };
    const input = { memberId: body.memberId, points: body.points, reason: body.reason, availableAtMs: ms(body.availableAt) ?? undefined, expiresAtMs: ms(body.expiresAt) };
    // Staff grants are checked against a cashier's limits and recorded against the staff member.
    const staff = staffOf(request);
    return sendResult(reply, staff ? await grantPointsAsStaff(ctx, staff, input, idempotencyKeyOf(request)) : await earnPoints(ctx, merchantIdOf(request), input, idempotencyKeyOf(request)));
  });

  app.post('/points/spend', command('Spend available points, earliest expiry first', z.strictObject({ memberId: id, points, reason })), async (request, reply) =>
    sendResult(reply, await spendPoints(ctx, merchantIdOf(request), request.body as { memberId: string; points: number; reason: string }, idempotencyKeyOf(request))));

  app.post('/points/transfer', command('Transfer points between two members', z.strictObject({
    fromMemberId: id, toMemberId: id, points, note: z.string().trim().max(500).optional(),
  })), async (request, reply) =>
    sendResult(reply, await transferPoints(ctx, merchantIdOf(request), request.body as { fromMemberId: string; toMemberId: string; points: number; note?: string }, idempotencyKeyOf(request))));

  app.post('/points/adjust', command('Staff correction, positive or negative, with a reason', z.strictObject({
    memberId: id,
    points: z.number().int().min(-maxPointsPerCommand).max(maxPointsPerCommand).refine((value) => value !== 0, 'points must not be 0'),
    reason,
  })), async (request, reply) =>
    sendResult(reply, await adjustPoints(ctx, merchantIdOf(request), request.body as { memberId: string; points: number; reason: string }, idempotencyKeyOf(request))));

  app.post('/points/transactions/:id/reverse', command('Reverse an earn (refund claw-back), wholly or in part', z.strictObject({
    points: points.optional().describe('Defaults to all that is left to reverse'), reason: reason.optional(),
  }).nullish(), 201, idParams), async (request, reply) => {
    const body = (request.body ?? {}) as { points?: number; reason?: string };
    const { id: transactionId } = request.params as { id: string };
    return sendResult(reply, await reverseTransaction(ctx, merchantIdOf(request), { transactionId, ...body }, idempotencyKeyOf(request)));
  });

  app.get('/points/transactions/:id', {
    schema: { tags: ['points'], summary: 'A ledger transaction with its entries', params: idParams, response: { 200: transactionSchema, ...commonErrors } },
  }, async (request) => getTransaction(ctx, merchantIdOf(request), request.params.id));

  app.post('/points/reservations', command('Hold points for a checkout', z.strictObject({
    memberId: id, points, reason: reason.optional(), timeoutSeconds: z.number().int().min(10).max(7 * 86_400).optional(),
  })), async (request, reply) =>
    sendResult(reply, await createReservation(ctx, merchantIdOf(request), request.body as { memberId: string; points: number }, idempotencyKeyOf(request))));

  app.get('/points/reservations/:id', {
    schema: { tags: ['points'], summary: 'A reservation and its status', params: idParams, response: { 200: reservationSchema, ...commonErrors } },
  }, async (request) => getReservation(ctx, merchantIdOf(request), request.params.id));

  app.post('/points/reservations/:id/commit', command('Spend the held points', z.strictObject({}).nullish(), 200, idParams), async (request, reply) =>
    sendResult(reply, await commitReservation(ctx, merchantIdOf(request), (request.params as { id: string }).id, idempotencyKeyOf(request))));

  app.post('/points/reservations/:id/void', command('Release the held points', z.strictObject({}).nullish(), 200, idParams), async (request, reply) =>
    sendResult(reply, await voidReservation(ctx, merchantIdOf(request), (request.params as { id: string }).id, idempotencyKeyOf(request))));
};
