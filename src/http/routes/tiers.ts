import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { getMemberTier, getTierProgram, saveTierProgramFor } from '../../services/tiers/manage-tier-program';
import { DomainError } from '../../domain/errors';
import { merchantIdOf } from '../auth';
import { commonErrors, idParams } from '../schemas';

const tier = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'keys are lower case letters, digits and _'),
  name: z.string().trim().min(1).max(100),
  threshold: z.number().int().min(0).max(1_000_000_000_000).describe('Points earned, or spend in satang, within the window'),
  multiplierPercent: z.number().int().min(0).max(1000).describe('Earn multiplier: 100 is ×1, 150 is ×1.5'),
  benefits: z.string().max(2000),
});
const program = z.strictObject({
  basis: z.enum(['points_earned', 'spend']),
  windowMonths: z.number().int().min(1).max(60),
  graceDays: z.number().int().min(0).max(3650).describe('Days a member may stay below their tier before the periodic evaluation moves them down'),
  tiers: z.array(tier).min(1).max(20),
}).meta({ id: 'TierProgram' });

export const tierRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/tiers', {
    schema: { tags: ['tiers'], summary: "The merchant's tier program", response: { 200: program, ...commonErrors } },
  }, async (request) => {
    const found = await getTierProgram(ctx, merchantIdOf(request));
    if (!found) throw new DomainError('not_found', 'This merchant has no tier program yet; PUT one');
    return found;
  });

  app.put('/tiers', {
    schema: { tags: ['tiers'], summary: 'Set the tier program (thresholds ascending from 0)', body: program, response: { 200: program, ...commonErrors } },
  }, async (request) => saveTierProgramFor(ctx, merchantIdOf(request), request.body));

  app.get('/members/:id/tier', {
    schema: {
      tags: ['tiers'], summary: "A member's tier, qualifying value, next tier and tier history", params: idParams,
      response: {
        200: z.object({
          tier, since: z.string().nullable(), qualifyingValue: z.number().int(), qualifiesFor: z.string(),
          nextTier: z.object({ key: z.string(), name: z.string(), missing: z.number().int() }).nullable(), belowSince: z.string().nullable(),
          changes: z.array(z.object({ from: z.string().nullable(), to: z.string(), direction: z.string(), at: z.string() })),
        }),
        ...commonErrors,
      },
    },
  }, async (request) => getMemberTier(ctx, merchantIdOf(request), request.params.id));
};
