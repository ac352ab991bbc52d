import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { getMemberTimeline } from '../../services/identity/get-member-timeline';
import { getPerson } from '../../services/identity/get-person';
import { merchantIdOf } from '../auth';
import { commonErrors, idParams } from '../schemas';

const personSchema = z.object({
  id: z.string(), userId: z.string().nullable(), memberId: z.string().nullable(), mergedIntoPersonId: z.string().nullable(),
  mergedPersonIds: z.array(z.string()), identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  firstSeenAt: z.string(), lastSeenAt: z.string(),
  currentStage: z.string().nullable().describe('The furthest stage reached'),
  atRisk: z.boolean().describe("No event for the merchant's at-risk number of days"),
  stages: z.array(z.object({ key: z.string(), name: z.string(), reachedAt: z.string(), eventId: z.string() })),
  conflicts: z.array(z.object({ messageId: z.string(), reason: z.string(), personId: z.string().nullable(), otherPersonId: z.string(), at: z.string() })),
}).meta({ id: 'Person' });

const timelineItem = z.union([
  z.object({ kind: z.literal('event'), at: z.string(), eventId: z.string(), type: z.string(), event: z.string().nullable(), properties: z.record(z.string(), z.unknown()).nullable() }),
  z.object({ kind: z.literal('points'), at: z.string(), transactionId: z.string(), transactionKind: z.string(), walletChange: z.number().int(), reason: z.string().nullable() }),
]);

export const peopleRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/people/:id', {
    schema: { tags: ['people'], summary: 'A person stitched from their ids, with identities, merges and conflicts', params: idParams, response: { 200: personSchema, ...commonErrors } },
  }, async (request) => getPerson(ctx, merchantIdOf(request), request.params.id));

  app.get('/members/:id/timeline', {
    schema: {
      tags: ['people'], summary: "A member's events (also from before they were identified) and points, in time order", params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: { 200: z.object({ memberId: z.string(), personId: z.string().nullable(), items: z.array(timelineItem) }), ...commonErrors },
    },
  }, async (request) => getMemberTimeline(ctx, merchantIdOf(request), request.params.id, request.query.limit));
};
