import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { createMember } from '../../services/members/create-member';
import { findMember, getMember, listMembers } from '../../services/members/get-member';
import { updateMember } from '../../services/members/update-member';
import { getBalance } from '../../services/points/get-balance';
import { listMemberTransactions } from '../../services/points/list-transactions';
import { merchantIdOf } from '../auth';
import { balanceSchema, commonErrors, errorBody, idParams, memberSchema, pageQuery, transactionSchema } from '../schemas';

const memberFields = {
  externalId: z.string().trim().min(1).max(200).nullable().optional().describe("The member's id in your own system"),
  phone: z.string().trim().min(3).max(32).nullable().optional().describe('Any common form; stored as E.164 (Thai numbers without +66 are understood)'),
  email: z.string().trim().max(254).pipe(z.email()).nullable().optional(),
  lineUserId: z.string().trim().min(1).max(64).nullable().optional(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  birthday: z.iso.date().nullable().optional().describe('YYYY-MM-DD'),
};

export const memberRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const errors = { ...commonErrors, 409: errorBody, 422: errorBody };

  app.post('/members', {
    schema: { tags: ['members'], summary: 'Create a member', body: z.strictObject(memberFields), response: { 201: memberSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(await createMember(ctx, merchantIdOf(request), request.body)));

  app.get('/members', {
    schema: {
      tags: ['members'],
      summary: 'List or search members (q), or find one by externalId, phone, email or LINE user id',
      querystring: pageQuery.extend({
        externalId: z.string().max(200).optional(), phone: z.string().max(32).optional(),
        email: z.string().max(254).optional(), lineUserId: z.string().max(64).optional(),
        q: z.string().trim().min(1).max(100).optional().describe('Search: part of a name, email or external id (any case), or of a phone number'),
      }),
      response: { 200: z.object({ members: z.array(memberSchema), nextCursor: z.string().nullable() }), ...errors },
    },
  }, async (request) => {
    const { limit, cursor, q, ...lookup } = request.query;
    if (Object.values(lookup).some((value) => value !== undefined)) {
      const member = await findMember(ctx, merchantIdOf(request), lookup);
      return { members: member ? [member] : [], nextCursor: null };
    }
    return listMembers(ctx, merchantIdOf(request), { limit, cursor, q });
  });

  app.get('/members/:id', {
    schema: { tags: ['members'], summary: 'Get a member', params: idParams, response: { 200: memberSchema, ...errors } },
  }, async (request) => getMember(ctx, merchantIdOf(request), request.params.id));

  app.patch('/members/:id', {
    schema: { tags: ['members'], summary: 'Update a member; null clears a field', params: idParams, body: z.strictObject(memberFields), response: { 200: memberSchema, ...errors } },
  }, async (request) => updateMember(ctx, merchantIdOf(request), request.params.id, request.body));

  app.get('/members/:id/balance', {
    schema: { tags: ['points'], summary: 'Available, pending and reserved points, and what expires within 30 days', params: idParams, response: { 200: balanceSchema, ...errors } },
  }, async (request) => getBalance(ctx, merchantIdOf(request), request.params.id));

  app.get('/members/:id/transactions', {
    schema: {
      tags: ['points'], summary: "A member's points history, newest first", params: idParams, querystring: pageQuery,
      response: { 200: z.object({ transactions: z.array(transactionSchema.extend({ walletChange: z.number().int() })), nextCursor: z.string().nullable() }), ...errors },
    },
  }, async (request) => listMemberTransactions(ctx, merchantIdOf(request), request.params.id, request.query));
};
