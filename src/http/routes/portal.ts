import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { maxUploadBytes } from '../../domain/ugc/media';
import type { ServiceContext } from '../../services/context';
import { getMemberCard } from '../../services/portal/get-member-card';
import {
  authenticateMemberSession, issueMemberSignInLink, memberSessionLifetimeMs, signInAsDemoMember, signInWithLink, signOutMember,
  type MemberPrincipal, type MemberSignIn,
} from '../../services/portal/member-sessions';
import { showCouponAtCounter } from '../../services/portal/show-coupon-at-counter';
import { getLineLogin, signInWithLine } from '../../services/portal/sign-in-with-line';
import { findTransferRecipient, transferToPhone } from '../../services/portal/transfer-to-phone';
import { updateMemberConsent } from '../../services/portal/update-member-consent';
import { listMemberTransactions } from '../../services/points/list-transactions';
import { listMemberCoupons } from '../../services/rewards/coupon-operations';
import { listRewards } from '../../services/rewards/manage-rewards';
import { redeemReward } from '../../services/rewards/redeem-reward';
import { getUgc, listUgc, withdrawUgcConsent } from '../../services/ugc/moderate-ugc';
import { submitUgc } from '../../services/ugc/submit-ugc';
import { uploadUgcMedia } from '../../services/ugc/upload-ugc-media';
import { ugcKinds } from '../../services/ugc/ugc-views';
import { cookieOf, merchantIdOf } from '../auth';
import { balanceSchema, commandResultSchema, commonErrors, errorBody, id, idParams, pageQuery, points, transactionSchema } from '../schemas';
import { couponSchema, rewardSchema } from './rewards';
import { acceptRawUploads, ugcSchema } from './ugc';

export const memberSessionCookie = 'sentang_member';
const errors = { ...commonErrors, 409: errorBody, 413: errorBody, 415: errorBody, 422: errorBody };
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const requestId = z.string().trim().min(8).max(100).describe('Made by the page for each action; sending it again does not do it twice');

declare module 'fastify' {
  interface FastifyRequest {
    member: MemberPrincipal | null;
  }
}

/** Merchant side: a one-time link into the member portal, for the merchant's backend to hand out. */
export const signInLinkRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.post('/members/:id/sign-in-links', {
    schema: {
      tags: ['portal'], summary: 'A one-time sign-in link into the member portal (valid 15 minutes unless told otherwise)', params: idParams,
      body: z.strictObject({ validForSeconds: z.number().int().min(60).max(604_800).optional() }).optional(),
      response: { 201: z.object({ token: z.string(), url: z.string(), expiresAt: z.string() }), ...errors },
    },
  }, async (request, reply) => {
    const link = await issueMemberSignInLink(ctx, merchantIdOf(request), request.params.id, { validForSeconds: request.body?.validForSeconds });
    return reply.code(201).send({ token: link.token, url: `${request.protocol}://${request.host}${link.path}`, expiresAt: link.expiresAt });
  });
};

function startSession(request: FastifyRequest, reply: FastifyReply, signedIn: MemberSignIn) {
  // SameSite=Lax, not Strict: the portal is opened from LINE and other apps by a link.
  reply.header('set-cookie', `${memberSessionCookie}=${signedIn.token}; Path=/portal; HttpOnly; SameSite=Lax; Max-Age=${memberSessionLifetimeMs / 1000}${request.protocol === 'https' ? '; Secure' : ''}`);
  return { memberId: signedIn.memberId, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
}

/** A rate-limit key per member session (per address without one), separate for each `purpose`. */
const perMemberSession = (purpose: string) => (request: FastifyRequest) => `${purpose}:${cookieOf(request, memberSessionCookie) ?? request.ip}`;

function memberOf(request: FastifyRequest): MemberPrincipal {
  if (!request.member) throw new DomainError('unauthorized', 'Not signed in');
  return request.member;
}

/**
 * The member portal's API under /portal/api: the member's own card, history, rewards, transfers,
 * content and consent. A member session cookie (from a sign-in link) is the only way in, and every
 * change carries the session's X-CSRF-Token.
 */
export const portalRoutes = (ctx: ServiceContext, options: { demoMerchantSlug: string | null; lineJwksUrl: string }): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['portal'];
  const session = z.object({ memberId: z.string(), csrfToken: z.string().describe('Send it as X-CSRF-Token with every change'), expiresAt: z.string() });
  // Sign-in is public: a few tries a minute per address are plenty for a person, not for guessing.
  const signInLimit = { rateLimit: { max: 20, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => request.ip } };

  app.post('/portal/api/session', {
    config: signInLimit,
    schema: { tags, summary: 'Sign in with the token of a sign-in link (once)', body: z.strictObject({ token: z.string().min(10).max(200) }), response: { 200: session, 400: errorBody, 401: errorBody, 429: errorBody } },
  }, async (request, reply) => startSession(request, reply, await signInWithLink(ctx, request.body.token)));

  const merchantQuery = z.object({ merchant: z.string().min(1).max(100).describe("The shop's slug") });
  app.get('/portal/api/line-login', {
    schema: { tags, summary: 'The LIFF app to start when the portal is opened in LINE (404 when the shop has not turned LINE sign-in on)', querystring: merchantQuery, response: { 200: z.object({ liffId: z.string() }), 400: errorBody, 404: errorBody } },
  }, async (request) => getLineLogin(ctx, request.query.merchant));
  app.post('/portal/api/line-session', {
    config: signInLimit,
    schema: {
      tags, summary: "Sign in with the ID token the shop's LIFF app got from LINE (liff.getIDToken()); someone new joins as a member",
      body: z.strictObject({ merchant: z.string().min(1).max(100), idToken: z.string().min(20).max(8000) }),
      response: { 200: session, 400: errorBody, 401: errorBody, 404: errorBody, 429: errorBody },
    },
  }, async (request, reply) => startSession(request, reply, await signInWithLine(ctx, { merchantSlug: request.body.merchant, idToken: request.body.idToken, jwksUrl: options.lineJwksUrl })));

  const demoMerchantSlug = options.demoMerchantSlug;
  if (demoMerchantSlug) {
    app.post('/portal/api/demo-session', {
      config: signInLimit,
      schema: { tags, summary: 'The demo only: sign in as the demo merchant\'s demo member', response: { 200: session, 404: errorBody, 429: errorBody } },
    }, async (request, reply) => startSession(request, reply, await signInAsDemoMember(ctx, demoMerchantSlug)));
  }

  await app.register(async (plainScope) => {
    const scope = plainScope.withTypeProvider<ZodTypeProvider>();
    scope.decorateRequest('member', null);
    scope.addHook('onRequest', async (request) => {
      const token = cookieOf(request, memberSessionCookie);
      const member = token ? await authenticateMemberSession(ctx, token) : null;
      if (!member) throw new DomainError('unauthorized', 'Not signed in: open the sign-in link the shop sent you');
      if (!safeMethods.has(request.method) && request.headers['x-csrf-token'] !== member.csrfToken) {
        throw new DomainError('forbidden', 'Send the X-CSRF-Token of your session with every change');
      }
      request.member = member;
    });

    const cardSchema = z.object({
      member: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), phoneDisplay: z.string().nullable().describe('As written at home: 081 234 5678'), email: z.string().nullable(), memberSince: z.string() }),
      merchant: z.object({ name: z.string(), slug: z.string(), timeZone: z.string(), currency: z.string(), transferLimits: z.object({ minPoints: z.number().int(), maxPoints: z.number().int().nullable(), maxPointsPerMonth: z.number().int().nullable() }) }),
      tier: z.object({ key: z.string(), name: z.string(), benefits: z.string() }).nullable(),
      balance: balanceSchema, cardCode: z.string().describe('What the QR code on the card holds; the cashier scans it'),
      referral: z.object({ code: z.string(), link: z.string() }),
      consent: z.object({ marketing: z.boolean(), updatedAt: z.string().nullable() }),
      csrfToken: z.string(),
    });
    scope.get('/portal/api/me', { schema: { tags, summary: 'The member card: who, tier, balance, expiring points, QR, referral link, consent', response: { 200: cardSchema, ...errors } } }, async (request) => {
      const member = memberOf(request);
      const card = await getMemberCard(ctx, member.merchantId, member.memberId);
      return { ...card, referral: { code: card.referral.code, link: `${request.protocol}://${request.host}${card.referral.path}` }, csrfToken: member.csrfToken };
    });
    scope.post('/portal/api/sign-out', { schema: { tags, summary: 'Sign out', response: { 204: z.null() } } }, async (request, reply) => {
      const token = cookieOf(request, memberSessionCookie);
      if (token) await signOutMember(ctx, token);
      reply.header('set-cookie', `${memberSessionCookie}=; Path=/portal; HttpOnly; SameSite=Lax; Max-Age=0`);
      return reply.code(204).send(null);
    });
    scope.get('/portal/api/history', {
      schema: { tags, summary: 'Points history, newest first', querystring: pageQuery, response: { 200: z.object({ transactions: z.array(transactionSchema.extend({ walletChange: z.number().int() })), nextCursor: z.string().nullable() }), ...errors } },
    }, async (request) => {
      const member = memberOf(request);
      return listMemberTransactions(ctx, member.merchantId, member.memberId, request.query);
    });

    scope.get('/portal/api/rewards', { schema: { tags, summary: 'The rewards a member can redeem now', response: { 200: z.object({ rewards: z.array(rewardSchema) }), ...errors } } }, async (request) => {
      const member = memberOf(request);
      const nowMs = ctx.nowMs();
      const rewards = (await listRewards(ctx, member.merchantId)).filter((reward) => reward.active && !reward.issueOnSignup
        && (reward.startsAt === null || Date.parse(reward.startsAt) <= nowMs) && (reward.endsAt === null || Date.parse(reward.endsAt) > nowMs));
      return { rewards };
    });
    scope.post('/portal/api/rewards/:id/redeem', {
      schema: { tags, summary: 'Spend points on a reward: a coupon', params: idParams, body: z.strictObject({ requestId }), response: { 201: couponSchema, ...errors } },
    }, async (request, reply) => {
      const member = memberOf(request);
      const { coupon } = await redeemReward(ctx, member.merchantId, request.params.id, { memberId: member.memberId }, `portal-redeem:${member.memberId}:${request.body.requestId}`);
      return reply.code(201).send(coupon);
    });
    scope.get('/portal/api/coupons', { schema: { tags, summary: "The member's coupons, newest first", response: { 200: z.object({ coupons: z.array(couponSchema) }), ...errors } } }, async (request) => {
      const member = memberOf(request);
      return { coupons: await listMemberCoupons(ctx, member.merchantId, member.memberId) };
    });
    scope.post('/portal/api/coupons/:code/counter-code', {
      schema: { tags, summary: 'A 6-digit code to show the cashier, valid for 5 minutes', params: z.object({ code: z.string().trim().min(4).max(64) }), response: { 200: z.object({ counterCode: z.string(), expiresAt: z.string() }), ...errors } },
    }, async (request) => {
      const member = memberOf(request);
      return showCouponAtCounter(ctx, member.merchantId, member.memberId, request.params.code);
    });

    scope.get('/portal/api/transfer-recipient', {
      // Each answer tells whether a phone number is a member here: 30 look-ups in 10 minutes per
      // session are plenty for sending points, too few to go through a phone book.
      config: { rateLimit: { max: 30, timeWindow: 600_000, keyGenerator: perMemberSession('recipient') } },
      schema: { tags, summary: 'Whom a phone number belongs to (name masked), to confirm before sending', querystring: z.object({ phone: z.string().trim().min(3).max(32) }), response: { 200: z.object({ phone: z.string(), phoneDisplay: z.string(), name: z.string().nullable() }), ...errors } },
    }, async (request) => {
      const member = memberOf(request);
      return findTransferRecipient(ctx, member.merchantId, member.memberId, request.query.phone);
    });
    scope.post('/portal/api/transfers', {
      schema: {
        tags, summary: "Send points to another member by phone number (the shop's limits apply)",
        body: z.strictObject({ phone: z.string().trim().min(3).max(32), points, note: z.string().trim().max(200).optional(), requestId }),
        response: { 201: commandResultSchema, 200: commandResultSchema, ...errors },
      },
    }, async (request, reply) => {
      const member = memberOf(request);
      const result = await transferToPhone(ctx, member.merchantId, member.memberId, request.body);
      return reply.code(result.statusCode).send(result.body);
    });

    scope.put('/portal/api/consent', {
      schema: { tags, summary: 'Opt in or out of marketing messages', body: z.strictObject({ marketing: z.boolean() }), response: { 200: z.object({ marketing: z.boolean(), updatedAt: z.string() }), ...errors } },
    }, async (request) => {
      const member = memberOf(request);
      return updateMemberConsent(ctx, member.merchantId, member.memberId, request.body);
    });

    await scope.register(async (uploads) => {
      acceptRawUploads(uploads);
      uploads.withTypeProvider<ZodTypeProvider>().post('/portal/api/ugc/uploads', {
        bodyLimit: maxUploadBytes,
        // Files fill the disk: 20 an hour per session is a generous member and a slow abuser.
        config: { rateLimit: { max: 20, timeWindow: 3_600_000, keyGenerator: perMemberSession('upload') } },
        schema: { tags, summary: 'Upload a photo or video as the raw body', response: { 201: z.object({ uploadId: z.string(), mediaType: z.string(), sizeBytes: z.number().int() }), ...errors } },
      }, async (request, reply) => {
        const member = memberOf(request);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return reply.code(201).send(await uploadUgcMedia(ctx, member.merchantId, { declaredType: request.headers['content-type'] ?? '', bytes }));
      });
    });
    scope.post('/portal/api/ugc', {
      schema: {
        tags, summary: 'Share a photo, video, review or social post with the shop (it is moderated first)',
        body: z.strictObject({
          kind: z.enum(ugcKinds), uploadId: id.optional(), postUrl: z.url({ protocol: /^https$/ }).max(2000).optional(),
          rating: z.number().int().min(1).max(5).optional(), text: z.string().trim().max(2000).optional(), consent: z.boolean(),
        }),
        response: { 201: ugcSchema, ...errors },
      },
    }, async (request, reply) => {
      const member = memberOf(request);
      return reply.code(201).send(await submitUgc(ctx, member.merchantId, { ...request.body, memberId: member.memberId }));
    });
    scope.get('/portal/api/ugc', { schema: { tags, summary: 'What the member shared', querystring: pageQuery, response: { 200: z.object({ items: z.array(ugcSchema), nextCursor: z.string().nullable() }), ...errors } } }, async (request) => {
      const member = memberOf(request);
      return listUgc(ctx, member.merchantId, { ...request.query, memberId: member.memberId });
    });
    scope.post('/portal/api/ugc/:id/withdraw-consent', { schema: { tags, summary: 'Take it off the public feed', params: idParams, response: { 200: ugcSchema, ...errors } } }, async (request) => {
      const member = memberOf(request);
      const item = await getUgc(ctx, member.merchantId, request.params.id);
      if (item.memberId !== member.memberId) throw new DomainError('ugc_not_found', `No content ${request.params.id}`);
      return withdrawUgcConsent(ctx, member.merchantId, request.params.id);
    });
  });
};
