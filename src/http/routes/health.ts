import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';

export const healthRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get('/healthz', {
    schema: { tags: ['operations'], summary: 'Liveness and store check', security: [], response: { 200: z.object({ status: z.literal('ok'), store: z.string() }) } },
  }, async () => {
    await sql`select 1`.execute(ctx.store.db);
    return { status: 'ok' as const, store: ctx.store.dialect.name };
  });
};
