import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { createApiKey } from '../../services/keys/create-api-key';
import { listApiKeys } from '../../services/keys/list-api-keys';
import { revokeApiKey } from '../../services/keys/revoke-api-key';
import { merchantIdOf } from '../auth';
import { commonErrors, idParams } from '../schemas';

const keySchema = z.object({ id: z.string(), kind: z.string(), label: z.string(), prefix: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() }).meta({ id: 'ApiKey' });

/** The merchant's API keys: secret keys for the API, write keys for sending events. Owners only. */
export const keyRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['keys'];
  app.get('/keys', { schema: { tags, summary: 'API keys (only their first characters)', response: { 200: z.object({ keys: z.array(keySchema) }), ...commonErrors } } },
    async (request) => ({ keys: await listApiKeys(ctx, merchantIdOf(request)) }));
  app.post('/keys', {
    schema: {
      tags, summary: 'A new key; the whole key is in this answer only', body: z.strictObject({ kind: z.enum(['secret', 'write']), label: z.string().trim().min(1).max(100) }),
      response: { 201: z.object({ id: z.string(), kind: z.string(), label: z.string(), secret: z.string().describe('Shown once; only its hash is kept') }), ...commonErrors },
    },
  }, async (request, reply) => reply.code(201).send(await createApiKey(ctx, merchantIdOf(request), request.body)));
  app.post('/keys/:id/revoke', { schema: { tags, summary: 'Revoke a key: requests with it fail from now on', params: idParams, response: { 204: z.null(), ...commonErrors } } },
    async (request, reply) => {
      await revokeApiKey(ctx, merchantIdOf(request), request.params.id);
      return reply.code(204).send(null);
    });
};
