import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rewardKinds } from '../../domain/rewards/reward';
import {
  cancelCoupon, consumeByCounterCode, consumeCoupon, createCounterCode, getCoupon, listMemberCoupons, validateCoupon,
} from '../../services/rewards/coupon-operations';
import { createReward, getReward, listRewards, updateReward, uploadRewardCodes } from '../../services/rewards/manage-rewards';
import { redeemReward } from '../../services/rewards/redeem-reward';
import type { ServiceContext } from '../../services/context';
import { merchantIdOf, staffOf } from '../auth';
import { recordCounterSale } from '../../services/counter/record-counter-sale';
import { commonErrors, errorBody, id, idempotencyHeaders, idParams, isoDateTime } from '../schemas';

const errors = { ...commonErrors, 409: errorBody, 422: errorBody };
const satang = z.number().int().min(0).max(10_000_000_000);
const couponCode = z.string().trim().min(4).max(64);
const codeParams = z.object({ code: couponCode });

const rewardFields = {
  nameTh: z.string().trim().min(1).max(200).describe('Name in Thai'),
  nameEn: z.string().trim().min(1).max(200).describe('Name in English'),
  descriptionTh: z.string().max(2000).optional(),
  descriptionEn: z.string().max(2000).optional(),
  imageUrl: z.url({ protocol: /^https$/ }).max(2000).nullable().optional().describe('An https URL'),
  kind: z.enum(rewardKinds).describe('amount_off and free_item: value in satang; percent_off: value in whole percent; gift: no value'),
  value: z.number().int().positive().max(10_000_000_000).nullable().optional(),
  minOrderSatang: satang.optional().describe('The smallest order the coupon applies to'),
  costPoints: z.number().int().min(0).max(1_000_000_000),
  stock: z.number().int().min(0).max(100_000_000).nullable().optional().describe('How many can be redeemed in all; null for unlimited'),
  perMemberLimit: z.number().int().min(1).max(10_000).nullable().optional(),
  startsAt: isoDateTime.nullable().optional(),
  endsAt: isoDateTime.nullable().optional(),
  tiers: z.array(z.string().min(1).max(40)).max(20).optional().describe('Tier keys allowed to redeem; empty for everyone'),
  couponValidDays: z.number().int().min(1).max(3650).optional().describe('Days a coupon stays usable (default 30)'),
  refundOnCancel: z.boolean().optional().describe('Refund the points when a coupon is cancelled (default true)'),
  issueOnSignup: z.boolean().optional().describe('Give every new member one (a sign-up gift; costs 0 points)'),
  usesCodePool: z.boolean().optional().describe('Hand out uploaded codes instead of making codes'),
  active: z.boolean().optional(),
};
export const rewardSchema = z.object({
  id: z.string(), nameTh: z.string(), nameEn: z.string(), descriptionTh: z.string(), descriptionEn: z.string(), imageUrl: z.string().nullable(),
  kind: z.enum(rewardKinds), value: z.number().nullable(), minOrderSatang: z.number().int(), costPoints: z.number().int(),
  stockTotal: z.number().int().nullable(), stockRemaining: z.number().int().nullable(), perMemberLimit: z.number().int().nullable(),
  startsAt: z.string().nullable(), endsAt: z.string().nullable(), tiers: z.array(z.string()), couponValidDays: z.number().int(),
  refundOnCancel: z.boolean(), issueOnSignup: z.boolean(), usesCodePool: z.boolean(), active: z.boolean(),
  freeCodes: z.number().int().nullable().describe('Uploaded codes not yet handed out (rewards with a code pool)'),
}).meta({ id: 'Reward' });
export const couponSchema = z.object({
  id: z.string(), code: z.string(), rewardId: z.string(), memberId: z.string(),
  status: z.enum(['pending', 'issued', 'consumed', 'cancelled', 'expired', 'failed']),
  kind: z.enum(rewardKinds), value: z.number().nullable(), minOrderSatang: z.number().int(), pointsCost: z.number().int(),
  issuedAt: z.string(), expiresAt: z.string(), consumedAt: z.string().nullable(), consumedOrderId: z.string().nullable(),
  discountSatang: z.number().int().nullable(), cancelledAt: z.string().nullable(), cancelReason: z.string().nullable(),
  spendTransactionId: z.string().nullable(), refundTransactionId: z.string().nullable(),
}).meta({ id: 'Coupon' });
const useBody = z.strictObject({
  orderId: z.string().trim().min(1).max(200).optional().describe('Consuming again for the same order answers as the first time'),
  orderAmountSatang: satang.optional(),
});

export const rewardRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['rewards'];

  app.get('/rewards', { schema: { tags, summary: 'The rewards catalogue', response: { 200: z.object({ rewards: z.array(rewardSchema) }), ...errors } } },
    async (request) => ({ rewards: await listRewards(ctx, merchantIdOf(request)) }));
  app.post('/rewards', { schema: { tags, summary: 'Add a reward', body: z.strictObject(rewardFields), response: { 201: rewardSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await createReward(ctx, merchantIdOf(request), request.body)));
  app.get('/rewards/:id', { schema: { tags, summary: 'One reward', params: idParams, response: { 200: rewardSchema, ...errors } } },
    async (request) => getReward(ctx, merchantIdOf(request), request.params.id));
  app.patch('/rewards/:id', { schema: { tags, summary: 'Change a reward (issued coupons keep their terms)', params: idParams, body: z.strictObject(rewardFields).partial(), response: { 200: rewardSchema, ...errors } } },
    async (request) => updateReward(ctx, merchantIdOf(request), request.params.id, request.body));
  app.post('/rewards/:id/codes', {
    schema: { tags, summary: "Upload a partner's codes for a reward with a code pool", params: idParams, body: z.strictObject({ codes: z.array(z.string().trim().min(1).max(64)).min(1).max(10_000) }), response: { 200: z.object({ added: z.number().int(), free: z.number().int() }), ...errors } },
  }, async (request) => uploadRewardCodes(ctx, merchantIdOf(request), request.params.id, request.body.codes));
  app.post('/rewards/:id/redeem', {
    schema: { tags, summary: "Spend a member's points on a reward and issue a coupon", params: idParams, headers: idempotencyHeaders, body: z.strictObject({ memberId: id }), response: { 201: couponSchema, ...errors } },
  }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    const { coupon, replayed } = await redeemReward(ctx, merchantIdOf(request), request.params.id, request.body, typeof key === 'string' ? key : null);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(201).send(coupon);
  });

  app.get('/members/:id/coupons', { schema: { tags: ['coupons'], summary: "A member's coupons, newest first", params: idParams, response: { 200: z.object({ coupons: z.array(couponSchema) }), ...errors } } },
    async (request) => ({ coupons: await listMemberCoupons(ctx, merchantIdOf(request), request.params.id) }));
  app.get('/coupons/:code', { schema: { tags: ['coupons'], summary: 'One coupon by its code', params: codeParams, response: { 200: couponSchema, ...errors } } },
    async (request) => getCoupon(ctx, merchantIdOf(request), request.params.code));
  app.post('/coupons/validate', {
    schema: { tags: ['coupons'], summary: 'Would the coupon apply to this order, and for how much? Changes nothing', body: z.strictObject({ code: couponCode, orderAmountSatang: satang }), response: { 200: z.object({ valid: z.boolean(), reason: z.string().nullable(), discountSatang: z.number().int(), coupon: couponSchema }), ...errors } },
  }, async (request) => validateCoupon(ctx, merchantIdOf(request), request.body));
  app.post('/coupons/:code/consume', { schema: { tags: ['coupons'], summary: 'Use the coupon, once', params: codeParams, body: useBody, response: { 200: couponSchema, ...errors } } },
    async (request) => consumeCoupon(ctx, merchantIdOf(request), request.params.code, request.body));
  app.post('/coupons/:code/cancel', {
    schema: { tags: ['coupons'], summary: 'Cancel an unused coupon; its points come back if the reward says so', params: codeParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500) }), response: { 200: couponSchema, ...errors } },
  }, async (request) => cancelCoupon(ctx, merchantIdOf(request), request.params.code, request.body));
  app.post('/coupons/:code/counter-code', {
    schema: { tags: ['coupons'], summary: 'A 6-digit code for the counter, valid for 5 minutes', params: codeParams, response: { 200: z.object({ counterCode: z.string(), expiresAt: z.string() }), ...errors } },
  }, async (request) => createCounterCode(ctx, merchantIdOf(request), request.params.code));
  app.post('/counter/sales', {
    schema: {
      tags: ['counter'], summary: "A sale at the counter: the member by phone (a new number makes a member) or member card QR code, and the points the merchant's Order Completed rules give",
      body: z.strictObject({
        phone: z.string().trim().min(3).max(32).optional().describe('Thai numbers as typed: 081-234-5678'),
        memberCard: z.string().trim().min(3).max(120).optional().describe("Or what the QR code of the member's card holds (SENTANG-MEMBER:…)"),
        amountSatang: satang.refine((value) => value > 0, 'a sale is more than 0'),
        saleId: z.string().trim().min(8).max(100).describe('Made by the till; sending the same sale again answers as the first time'),
      }),
      response: { 200: z.object({ memberId: z.string(), newMember: z.boolean(), pointsAwarded: z.number().int(), balance: z.object({ availablePoints: z.number().int() }).passthrough() }), ...errors },
    },
  }, async (request) => recordCounterSale(ctx, merchantIdOf(request), staffOf(request), request.body));
  app.post('/counter/redeem', {
    schema: { tags: ['coupons'], summary: "The cashier enters the member's counter code: the coupon is consumed (wrong codes are rate limited)", body: useBody.extend({ counterCode: z.string().regex(/^\d{6}$/, 'six digits') }), response: { 200: couponSchema, ...errors } },
  }, async (request) => consumeByCounterCode(ctx, merchantIdOf(request), request.body));
};
