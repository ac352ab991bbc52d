import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attributionModels } from '../../domain/analytics/attribution';
import { filterOperators } from '../../domain/analytics/filters';
import { maxExclusions, maxFunnelSteps } from '../../domain/analytics/funnel-scan';
import type { PersonBreakdown } from '../../domain/analytics/journey-funnel';
import { getChannelRules, saveChannelRules } from '../../services/analytics/channel-rules';
import { getChannelAttribution } from '../../services/analytics/get-channel-attribution';
import { getEventPaths } from '../../services/analytics/get-event-paths';
import { getJourneyFunnel } from '../../services/analytics/get-journey-funnel';
import { getRetention } from '../../services/analytics/get-retention';
import { getStageFlows } from '../../services/analytics/get-stage-flows';
import { listJourneyDropouts } from '../../services/analytics/list-journey-dropouts';
import { runEventFunnel } from '../../services/analytics/run-event-funnel';
import type { ServiceContext } from '../../services/context';
import { merchantIdOf } from '../auth';
import { commonErrors } from '../schemas';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const range = z.object({
  from: date.describe("First day (inclusive), in the merchant's time zone"),
  to: date.describe('Last day (inclusive)'),
});
const eventName = z.string().min(1).max(255).describe('A track event name, or $page, $screen, $identify for those message types');
const filter = z.strictObject({
  property: z.string().min(1).max(200).describe('A top-level event property'),
  op: z.enum(filterOperators),
  value: z.unknown().optional().describe('A string, number or boolean; a list for in / not_in'),
});
const matcher = z.strictObject({ event: eventName, filters: z.array(filter).max(10).default([]) });
const personBreakdown = z.string().regex(/^(channel|tier|trait:.{1,100})$/, 'channel, tier or trait:<name>')
  .describe('Split by first-touch channel, tier, or a person trait (trait:city)');
const stageCounts = z.array(z.number().int());
const duration = z.number().nullable().describe('Milliseconds');

function parsePersonBreakdown(value: string | undefined): PersonBreakdown | undefined {
  if (value === undefined) return undefined;
  if (value === 'channel' || value === 'tier') return { by: value };
  return { by: 'trait', trait: value.slice('trait:'.length) };
}

const journeyFunnel = z.object({
  from: z.string(), to: z.string(), timeZone: z.string(), entered: z.number().int().describe('People first seen in the range'),
  stages: z.array(z.object({
    key: z.string(), name: z.string(), reached: z.number().int(),
    conversionFromPrevious: z.number().nullable(), conversionFromFirst: z.number().nullable(),
    timeFromPrevious: z.object({ count: z.number().int(), medianMs: duration, p90Ms: duration }),
    atRisk: z.number().int().describe("People whose furthest stage is this one, quiet for the merchant's at-risk days"),
  })),
  breakdown: z.array(z.object({ value: z.string(), entered: z.number().int(), reached: stageCounts })).nullable(),
  trend: z.array(z.object({ period: z.string(), entered: z.number().int(), reached: stageCounts, conversionFromFirst: z.array(z.number().nullable()) })).nullable(),
}).meta({ id: 'JourneyFunnel' });

const funnelRequest = range.extend({
  steps: z.array(matcher).min(2).max(maxFunnelSteps),
  order: z.enum(['ordered', 'strict', 'any']).default('ordered')
    .describe('ordered: steps in order, other events may come between; strict: nothing between; any: in any order'),
  windowSeconds: z.number().int().min(1).max(90 * 86_400).default(14 * 86_400).describe('All steps within this long of the first'),
  exclusions: z.array(matcher.extend({ fromStep: z.number().int().min(0), toStep: z.number().int().min(1) })).max(maxExclusions).default([])
    .describe('People who did this between two steps are left out'),
  breakdown: z.union([
    z.strictObject({ source: z.literal('event'), property: z.string().min(1).max(200), attribution: z.enum(['first_touch', 'last_touch', 'step']).default('first_touch'), step: z.number().int().min(0).optional() }),
    z.strictObject({ source: z.literal('person'), trait: z.string().min(1).max(100) }),
  ]).optional(),
  trend: z.enum(['day', 'week', 'month']).optional(),
  dropped: z.strictObject({ atStep: z.number().int().min(0), cursor: z.string().max(100).optional(), limit: z.number().int().min(1).max(1000).default(100) }).optional()
    .describe('Also list the people who reached atStep but not the step after'),
}).meta({ id: 'EventFunnelRequest' });

const funnelResult = z.object({
  steps: z.array(z.object({
    event: z.string(), count: z.number().int(), conversionFromPrevious: z.number().nullable(), conversionFromFirst: z.number().nullable(),
    medianMsFromPrevious: duration, p90MsFromPrevious: duration,
  })),
  timeToConvert: z.object({
    count: z.number().int(), medianMs: duration, p90Ms: duration, p95Ms: duration,
    histogram: z.array(z.object({ fromMs: z.number(), toMs: z.number().nullable(), count: z.number().int() })),
  }),
  trend: z.array(z.object({ period: z.string(), entered: z.number().int(), converted: z.number().int(), conversion: z.number().nullable() })).nullable(),
  breakdown: z.array(z.object({ value: z.string(), entered: z.number().int(), reached: stageCounts })).nullable(),
  dropped: z.array(z.object({ personId: z.string(), memberId: z.string().nullable() })).nullable(),
  nextCursor: z.string().nullable(),
}).meta({ id: 'EventFunnel' });

const channelRule = z.strictObject({
  channel: z.string().trim().min(1).max(60),
  source: z.string().max(200).optional(), medium: z.string().max(200).optional(),
  campaign: z.string().max(200).optional(), referrer: z.string().max(200).optional(),
}).describe('Regular expressions (case-insensitive) on the UTM source, medium, campaign and the referrer host; all given must match');
const channelRules = z.object({ rules: z.array(channelRule).max(100) });

export const analyticsRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  app.get('/analytics/journey', {
    schema: {
      tags, summary: 'The journey funnel of the people first seen in a date range',
      querystring: range.extend({ breakdown: personBreakdown.optional(), trend: z.enum(['day', 'week', 'month']).optional() }),
      response: { 200: journeyFunnel, ...commonErrors },
    },
  }, async (request) => getJourneyFunnel(ctx, merchantIdOf(request), { ...request.query, breakdown: parsePersonBreakdown(request.query.breakdown) }));

  app.get('/analytics/journey/dropouts', {
    schema: {
      tags, summary: 'People of the cohort who reached a stage but not the next one (paginated)',
      querystring: range.extend({ stage: z.string().min(1).max(40), cursor: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: {
        200: z.object({
          stage: z.string(), nextStage: z.string().nullable(), nextCursor: z.string().nullable(),
          people: z.array(z.object({ personId: z.string(), memberId: z.string().nullable(), reachedAtMs: z.number(), lastSeenAtMs: z.number() })),
        }),
        ...commonErrors,
      },
    },
  }, async (request) => listJourneyDropouts(ctx, merchantIdOf(request), request.query));

  app.post('/analytics/funnels', {
    schema: { tags, summary: 'An event funnel: 2 to 20 steps, ordered, strict or any order, with a conversion window', body: funnelRequest, response: { 200: funnelResult, ...commonErrors } },
  }, async (request) => runEventFunnel(ctx, merchantIdOf(request), request.body as never));

  app.get('/analytics/retention', {
    schema: {
      tags, summary: 'Cohorts by first start event per week or month, and the share who return in each later period',
      querystring: range.extend({
        period: z.enum(['week', 'month']).default('week'),
        periods: z.coerce.number().int().min(1).max(52).default(12),
        startEvent: eventName.optional().describe('Default Order Completed; * for any event'),
        returnEvent: eventName.optional().describe('Default: the start event; * for any event'),
        mode: z.enum(['first_time', 'recurring']).default('recurring').describe('recurring: everyone active in the period; first_time: only in the first period they came back'),
      }),
      response: {
        200: z.object({
          period: z.string(), periods: z.number().int(), mode: z.string(),
          cohorts: z.array(z.object({ period: z.string(), people: z.number().int(), returned: z.array(z.number().int()), shares: z.array(z.number().nullable()) })),
        }),
        ...commonErrors,
      },
    },
  }, async (request) => {
    const { startEvent = 'Order Completed', returnEvent } = request.query;
    const matcherOf = (name: string) => (name === '*' ? null : { event: name, filters: [] });
    return getRetention(ctx, merchantIdOf(request), {
      ...request.query, startEvent: matcherOf(startEvent), returnEvent: matcherOf(returnEvent ?? startEvent),
    });
  });

  app.get('/analytics/flows', {
    schema: {
      tags, summary: 'Stage-to-stage transitions (Sankey), and the commonest event paths after or before an event',
      querystring: range.extend({
        event: eventName.optional().describe('Also return paths around each person’s first occurrence of this event'),
        direction: z.enum(['after', 'before']).default('after'),
        steps: z.coerce.number().int().min(1).max(10).default(5),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: {
        200: z.object({
          nodes: z.array(z.object({ key: z.string(), name: z.string(), people: z.number().int() })),
          links: z.array(z.object({ from: z.string(), to: z.string(), people: z.number().int() })),
          paths: z.object({ event: z.string(), direction: z.string(), people: z.number().int(), paths: z.array(z.object({ events: z.array(z.string()), people: z.number().int() })) }).nullable(),
        }),
        ...commonErrors,
      },
    },
  }, async (request) => {
    const merchantId = merchantIdOf(request);
    const { from, to, event, direction, steps, limit } = request.query;
    const flows = await getStageFlows(ctx, merchantId, { from, to });
    const paths = event ? { event, direction, ...await getEventPaths(ctx, merchantId, { from, to, event: { event, filters: [] }, direction, steps, limit }) } : null;
    return { ...flows, paths };
  });

  app.get('/analytics/attribution', {
    schema: {
      tags, summary: 'Orders (or another conversion event) credited to channels: first-touch, last-touch, linear or position-based',
      querystring: range.extend({
        model: z.enum(attributionModels).default('last_touch'),
        lookbackDays: z.coerce.number().int().min(1).max(90).default(30),
        event: eventName.default('Order Completed'),
      }),
      response: {
        200: z.object({
          model: z.string(), lookbackDays: z.number().int(), conversions: z.number().int(), revenueSatang: z.number().int(),
          channels: z.array(z.object({ channel: z.string(), conversions: z.number(), revenueSatang: z.number().int() })),
        }),
        ...commonErrors,
      },
    },
  }, async (request) => {
    const { from, to, model, lookbackDays, event } = request.query;
    return getChannelAttribution(ctx, merchantIdOf(request), { from, to, model, lookbackDays, conversion: { event, filters: [] } });
  });

  app.get('/analytics/channels', {
    schema: { tags, summary: "The merchant's own channel rules and the default channels", response: { 200: channelRules.extend({ defaultChannels: z.array(z.string()) }), ...commonErrors } },
  }, async (request) => getChannelRules(ctx, merchantIdOf(request)));

  app.put('/analytics/channels', {
    schema: { tags, summary: 'Replace the merchant’s channel rules (tried in order before the defaults)', body: channelRules, response: { 200: channelRules.extend({ defaultChannels: z.array(z.string()) }), ...commonErrors } },
  }, async (request) => saveChannelRules(ctx, merchantIdOf(request), request.body.rules));
};
