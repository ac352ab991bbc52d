import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffRoles } from '../../domain/staff/roles';
import type { ServiceContext } from '../../services/context';
import { createStaff, listStaff, updateStaffMember } from '../../services/staff/manage-staff';
import { currentStaff, sessionLifetimeMs, signIn, signOut, authenticateSession } from '../../services/staff/staff-sessions';
import { cookieOf, merchantIdOf, sessionCookie } from '../auth';
import { DomainError } from '../../domain/errors';
import { commonErrors, errorBody, idParams, points } from '../schemas';

const staffSchema = z.object({
  id: z.string(), email: z.string(), name: z.string(), role: z.enum(staffRoles), maxPointsPerTransaction: z.number().int().nullable(),
  maxPointsPerDay: z.number().int().nullable(), disabled: z.boolean(), createdAt: z.string(),
}).meta({ id: 'Staff' });
const limits = { maxPointsPerTransaction: points.nullable().optional(), maxPointsPerDay: points.nullable().optional() };
const errors = { ...commonErrors, 409: errorBody };

/** Staff accounts (owners only). */
export const staffRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['staff'];
  app.get('/staff', { schema: { tags, summary: 'Staff accounts', response: { 200: z.object({ staff: z.array(staffSchema) }), ...errors } } },
    async (request) => ({ staff: await listStaff(ctx, merchantIdOf(request)) }));
  app.post('/staff', {
    schema: {
      tags, summary: 'Add a staff member (owner, manager or cashier; cashiers may have points limits)',
      body: z.strictObject({ email: z.email().max(254), name: z.string().trim().min(1).max(100), role: z.enum(staffRoles), password: z.string().min(1).max(200), ...limits }),
      response: { 201: staffSchema, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await createStaff(ctx, merchantIdOf(request), request.body)));
  app.patch('/staff/:id', {
    schema: {
      tags, summary: 'Change role, limits, password or access (ends their sessions)', params: idParams,
      body: z.strictObject({ name: z.string().trim().min(1).max(100).optional(), role: z.enum(staffRoles).optional(), password: z.string().min(1).max(200).optional(), disabled: z.boolean().optional(), ...limits }),
      response: { 200: staffSchema, ...errors },
    },
  }, async (request) => updateStaffMember(ctx, merchantIdOf(request), request.params.id, request.body));
};

/** Sign-in for the dashboard and the cashier screen: an HttpOnly session cookie and a CSRF token. */
export const authRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['staff'];
  const session = z.object({ staff: staffSchema, csrfToken: z.string().describe('Send it as X-CSRF-Token with every change'), expiresAt: z.string().optional() });
  app.post('/auth/login', {
    schema: {
      tags, summary: 'Sign in as staff', body: z.strictObject({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(200), merchantSlug: z.string().max(100).optional() }),
      response: { 200: session, 400: errorBody, 401: errorBody, 429: errorBody },
    },
  }, async (request, reply) => {
    const signedIn = await signIn(ctx, { ...request.body, clientAddress: request.ip });
    reply.header('set-cookie', `${sessionCookie}=${signedIn.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${sessionLifetimeMs / 1000}${request.protocol === 'https' ? '; Secure' : ''}`);
    return { staff: signedIn.staff, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
  });
  app.post('/auth/logout', { schema: { tags, summary: 'Sign out', response: { 204: z.null() } } }, async (request, reply) => {
    const token = cookieOf(request, sessionCookie);
    if (token) await signOut(ctx, token);
    reply.header('set-cookie', `${sessionCookie}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return reply.code(204).send(null);
  });
  app.get('/auth/me', { schema: { tags, summary: 'Who is signed in, and the CSRF token of the session', response: { 200: session, 401: errorBody } } }, async (request) => {
    const token = cookieOf(request, sessionCookie);
    const principal = token ? await authenticateSession(ctx, token) : null;
    if (!principal) throw new DomainError('unauthorized', 'Not signed in');
    return { staff: await currentStaff(ctx, principal), csrfToken: principal.csrfToken };
  });
};
