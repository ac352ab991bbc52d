import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import { roleAllows } from '../domain/staff/roles';
import { authenticateApiKey, type ApiKeyPrincipal } from '../services/keys/authenticate-api-key';
import type { ServiceContext } from '../services/context';
import { authenticateSession, type StaffPrincipal } from '../services/staff/staff-sessions';

export type Principal = ApiKeyPrincipal | StaffPrincipal;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const sessionCookie = 'sentang_session';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

export function cookieOf(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * Every route in this scope needs a secret key (`Authorization: Bearer sk_…`) or a staff session
 * (the `sentang_session` cookie, with the session's `X-CSRF-Token` on every change). A staff
 * member's role decides which endpoints they may call.
 */
export function requireMerchantPrincipal(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (token) {
      const principal = await authenticateApiKey(ctx, token);
      if (!principal) throw new DomainError('unauthorized', 'This key is unknown or revoked');
      if (principal.kind !== 'secret') throw new DomainError('forbidden', 'A write key (wk_…) can only send events; use a secret key (sk_…) for this API');
      request.principal = principal;
      return;
    }
    const session = cookieOf(request, sessionCookie);
    const staff = session ? await authenticateSession(ctx, session) : null;
    if (!staff) throw new DomainError('unauthorized', 'Send a secret key as "Authorization: Bearer sk_…", or sign in');
    if (!safeMethods.has(request.method) && request.headers['x-csrf-token'] !== staff.csrfToken) {
      throw new DomainError('forbidden', 'Send the X-CSRF-Token of your session with every change');
    }
    const path = request.url.split('?')[0] ?? request.url;
    if (!roleAllows(staff.role, request.method, path)) throw new DomainError('forbidden', `A ${staff.role} may not do this`);
    request.principal = staff;
  });
}

export function merchantIdOf(request: FastifyRequest): string {
  if (!request.principal) throw new DomainError('unauthorized', 'Not authenticated');
  return request.principal.merchantId;
}

/** The signed-in staff member, when the request came from one (not from an API key). */
export function staffOf(request: FastifyRequest): StaffPrincipal | null {
  return request.principal?.kind === 'staff' ? request.principal : null;
}
