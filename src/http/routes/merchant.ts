import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getMerchant } from '../../services/merchants/get-merchant';
import { updateMerchantSettings } from '../../services/merchants/update-merchant-settings';
import type { ServiceContext } from '../../services/context';
import { getOverview } from '../../services/overview/get-overview';
import { merchantIdOf } from '../auth';
import { commonErrors, merchantSchema, points } from '../schemas';

const settingsPatch = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  timeZone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. Asia/Bangkok'),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  expiryPolicy: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('never') }),
    z.strictObject({ kind: z.literal('months_after_earn'), months: z.number().int().min(1).max(120) }),
    z.strictObject({ kind: z.literal('end_of_year') }),
    z.strictObject({ kind: z.literal('end_of_next_year') }),
  ]).optional(),
  reversalPolicy: z.enum(['refuse', 'allow_negative']).optional(),
  transferLimits: z.strictObject({
    minPoints: points.optional(),
    maxPoints: points.nullable().optional(),
    maxPointsPerMonth: points.nullable().optional(),
  }).optional(),
  reservationTimeoutSeconds: z.number().int().min(10).max(7 * 86_400).optional(),
  atRiskDays: z.number().int().min(1).max(3650).optional().describe('Days without an event after which a customer is flagged at risk'),
  lineChannelId: z.string().regex(/^\d{6,20}$/, 'the channel ID of a LINE Login channel: digits').nullable().optional().describe('LINE Login channel ID: members sign in to the portal with LINE (LIFF)'),
  liffId: z.string().regex(/^\d{6,20}-[A-Za-z0-9]{4,20}$/, 'a LIFF ID looks like 1234567890-AbCdEfGh').nullable().optional().describe('The LIFF app the member portal starts in LINE'),
  websiteUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional().describe('Where referral links lead (the shop\'s site)'),
  referralConvertsOn: z.enum(['signup', 'first_order']).optional().describe('When a referral counts: at sign-up, or at the friend\'s first order (default)'),
  referralWeeklyLimit: z.number().int().min(1).max(1000).optional().describe('Referrals one member may make in 7 days before the rest wait for review'),
});

export const merchantRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/merchant', {
    schema: { tags: ['merchant'], summary: "The key's merchant and its settings", response: { 200: merchantSchema, ...commonErrors } },
  }, async (request) => getMerchant(ctx, merchantIdOf(request)));

  app.patch('/merchant', {
    schema: { tags: ['merchant'], summary: 'Change profile, time zone, expiry, reversal and transfer policies', body: settingsPatch, response: { 200: merchantSchema, ...commonErrors } },
  }, async (request) => updateMerchantSettings(ctx, merchantIdOf(request), request.body));
};

export const overviewRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/overview', {
    schema: {
      tags: ['merchant'], summary: 'Headline numbers: members, active members, points issued, redeemed, expired and outstanding (the liability)',
      response: {
        200: z.object({
          members: z.number().int(), activeMembers30d: z.number().int(),
          points: z.object({ issued: z.number().int(), redeemed: z.number().int(), expired: z.number().int(), adjusted: z.number().int(), outstanding: z.number().int() }),
        }),
        ...commonErrors,
      },
    },
  }, async (request) => getOverview(ctx, merchantIdOf(request)));
};
