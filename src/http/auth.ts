import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import { authenticateApiKey, type ApiKeyPrincipal } from '../services/keys/authenticate-api-key';
import type { ServiceContext } from '../services/context';

declare module 'fastify' {
  interface FastifyRequest {
    principal: ApiKeyPrincipal | null;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** Every route in this scope needs a live secret key (`Authorization: Bearer sk_…`). */
export function requireSecretKey(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (!token) throw new DomainError('unauthorized', 'Send a secret key as "Authorization: Bearer sk_…"');
    const principal = await authenticateApiKey(ctx, token);
    if (!principal) throw new DomainError('unauthorized', 'This key is unknown or revoked');
    if (principal.kind !== 'secret') throw new DomainError('forbidden', 'A write key (wk_…) can only send events; use a secret key (sk_…) for this API');
    request.principal = principal;
  });
}

export function merchantIdOf(request: FastifyRequest): string {
  if (!request.principal) throw new DomainError('unauthorized', 'Not authenticated');
  return request.principal.merchantId;
}
