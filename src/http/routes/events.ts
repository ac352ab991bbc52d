import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { listEvents } from '../../services/events/list-events';
import { merchantIdOf } from '../auth';
import { commonErrors, pageQuery } from '../schemas';

const eventSchema = z.object({
  id: z.string(), messageId: z.string(), type: z.string(), event: z.string().nullable(), userId: z.string().nullable(),
  anonymousId: z.string().nullable(), previousId: z.string().nullable(), groupId: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()).nullable(), traits: z.record(z.string(), z.unknown()).nullable(),
  context: z.record(z.string(), z.unknown()).nullable(), personId: z.string().nullable(), timestamp: z.string(), receivedAt: z.string(),
}).meta({ id: 'Event' });

export const eventRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/events', {
    schema: {
      tags: ['events'], summary: 'Received events, oldest first (timestamp corrected for client clock skew)', querystring: pageQuery,
      response: { 200: z.object({ events: z.array(eventSchema), nextCursor: z.string().nullable() }), ...commonErrors },
    },
  }, async (request) => listEvents(ctx, merchantIdOf(request), request.query));
};
