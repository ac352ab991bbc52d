import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';

export const healthRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get('/healthz', {
    schema: {
      tags: ['operations'], summary: 'Liveness and store check: 503 when the store or the ledger writer is down', security: [],
      response: { 200: z.object({ status: z.literal('ok'), store: z.string() }), 503: z.object({ status: z.literal('unavailable'), store: z.string(), reason: z.string() }) },
    },
  }, async (_request, reply) => {
    const store = ctx.store.dialect.name;
    const ledgerFailure = ctx.ledger.failure();
    if (ledgerFailure) return reply.code(503).send({ status: 'unavailable' as const, store, reason: ledgerFailure.message });
    try {
      await sql`select 1`.execute(ctx.store.db);
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable' as const, store, reason: `the store does not answer: ${error instanceof Error ? error.message : String(error)}` });
    }
    return { status: 'ok' as const, store };
  });
};
