import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { getStageDefinitions, saveStageDefinitions } from '../../services/journey/stage-definitions';
import { merchantIdOf } from '../auth';
import { commonErrors } from '../schemas';

const condition = z.strictObject({
  property: z.string().min(1).max(200).describe('A property of the event; dots reach into objects'),
  op: z.enum(['eq', 'in', 'gte', 'lte', 'contains']),
  value: z.unknown(),
});
const rule = z.strictObject({
  event: z.string().min(1).max(255).describe('The event name, or * for any event'),
  conditions: z.array(condition).max(20).optional(),
  count: z.strictObject({ min: z.number().int().min(1).max(1000), withinDays: z.number().int().min(1).max(3650).optional() }).optional()
    .describe('Reached on the min-th matching event within withinDays'),
});
const stage = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'keys are lower case letters, digits and _'),
  name: z.string().trim().min(1).max(100),
  rules: z.array(rule).min(1).max(20).describe('Any one rule reaching is enough'),
});
const stages = z.object({ stages: z.array(stage).min(1).max(20) }).meta({ id: 'JourneyStages' });

export const journeyRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/journey/stages', {
    schema: { tags: ['journey'], summary: "The merchant's journey stages in order, with their rules", response: { 200: stages, ...commonErrors } },
  }, async (request) => ({ stages: await getStageDefinitions(ctx, merchantIdOf(request)) }));

  app.put('/journey/stages', {
    schema: { tags: ['journey'], summary: 'Replace the journey stages (ordered; reached stages stay recorded)', body: stages, response: { 200: stages, ...commonErrors } },
  }, async (request) => ({ stages: await saveStageDefinitions(ctx, merchantIdOf(request), request.body.stages as never) }));
};
