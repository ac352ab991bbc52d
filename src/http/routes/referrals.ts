import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { referralFlags } from '../../domain/referrals/assess-referral';
import type { ServiceContext } from '../../services/context';
import { createReferral } from '../../services/referrals/create-referral';
import { followReferralLink } from '../../services/referrals/follow-referral-link';
import { getReferralCode } from '../../services/referrals/get-referral-code';
import { approveReferral, getReferral, listReferrals, rejectReferral } from '../../services/referrals/review-referrals';
import { getMerchant } from '../../services/merchants/get-merchant';
import { merchantIdOf } from '../auth';
import { commonErrors, errorBody, id, idParams, pageQuery } from '../schemas';

const errors = { ...commonErrors, 409: errorBody, 422: errorBody };
const statuses = ['pending', 'flagged', 'converted', 'rejected'] as const;
const referralSchema = z.object({
  id: z.string(), code: z.string(), referrerMemberId: z.string(), refereeMemberId: z.string(), status: z.enum(statuses),
  flags: z.array(z.enum(referralFlags)).describe('Why the referral waits for review'), createdAt: z.string(), convertedAt: z.string().nullable(),
  decisions: z.array(z.object({ action: z.string(), reason: z.string().nullable(), at: z.string() })).optional(),
}).meta({ id: 'Referral' });

export const referralRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['referrals'];
  app.get('/members/:id/referral-code', {
    schema: { tags, summary: "The member's referral code and link", params: idParams, response: { 200: z.object({ memberId: z.string(), code: z.string(), link: z.string() }), ...errors } },
  }, async (request) => {
    const merchantId = merchantIdOf(request);
    const { memberId, code } = await getReferralCode(ctx, merchantId, request.params.id);
    const { slug } = await getMerchant(ctx, merchantId);
    return { memberId, code, link: `${request.protocol}://${request.host}/r/${slug}/${code}` };
  });
  app.post('/referrals', {
    schema: {
      tags, summary: 'A new member signed up with a referral code (fraud-checked; doubtful ones wait for review)',
      body: z.strictObject({
        code: z.string().trim().min(4).max(32), refereeMemberId: id,
        ip: z.string().max(64).optional().describe("The friend's IP at sign-up"), deviceId: z.string().max(200).optional().describe("The friend's anonymous/device id"),
      }),
      response: { 201: referralSchema, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await createReferral(ctx, merchantIdOf(request), request.body)));
  app.get('/referrals', {
    schema: { tags, summary: 'Referrals; status=flagged is the review queue', querystring: pageQuery.extend({ status: z.enum(statuses).optional(), referrerMemberId: id.optional() }), response: { 200: z.object({ referrals: z.array(referralSchema), nextCursor: z.string().nullable() }), ...errors } },
  }, async (request) => listReferrals(ctx, merchantIdOf(request), request.query));
  app.get('/referrals/:id', { schema: { tags, summary: 'One referral with every decision taken on it', params: idParams, response: { 200: referralSchema, ...errors } } },
    async (request) => getReferral(ctx, merchantIdOf(request), request.params.id));
  app.post('/referrals/:id/approve', {
    schema: { tags, summary: 'Clear a flagged referral', params: idParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }), response: { 200: referralSchema, ...errors } },
  }, async (request) => approveReferral(ctx, merchantIdOf(request), request.params.id, request.body.reason ?? null));
  app.post('/referrals/:id/reject', {
    schema: { tags, summary: 'Reject a flagged or pending referral', params: idParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500) }), response: { 200: referralSchema, ...errors } },
  }, async (request) => rejectReferral(ctx, merchantIdOf(request), request.params.id, request.body.reason));
};

/** Public: `/r/{merchantSlug}/{code}` leads to the shop's site with the code. */
export const referralLinkRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/r/:slug/:code', {
    schema: { tags: ['referrals'], summary: "A member's referral link: 302 to the shop's website with ?ref=", params: z.object({ slug: z.string().max(100), code: z.string().max(32) }), response: { 404: errorBody } },
  }, async (request, reply) => reply.redirect(await followReferralLink(ctx, request.params.slug, request.params.code), 302));
};
