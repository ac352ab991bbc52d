import { PeriodBuckets, type PeriodUnit } from '../../domain/analytics/calendar';
import { journeyFunnel, type JourneyFunnelResult, type PersonBreakdown } from '../../domain/analytics/journey-funnel';
import type { ServiceContext } from '../context';
import { analyticsSettings, channelsOfTouches, rangeOf } from './analytics-settings';

export interface JourneyFunnelRequest {
  from: string;
  to: string;
  breakdown?: PersonBreakdown | undefined;
  trend?: PeriodUnit | undefined;
}

/** The journey funnel of the people first seen between two dates (the merchant's calendar). */
export async function getJourneyFunnel(ctx: ServiceContext, merchantId: string, request: JourneyFunnelRequest): Promise<JourneyFunnelResult & { from: string; to: string; timeZone: string }> {
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const index = await ctx.analytics.current(merchantId);
  const result = journeyFunnel(index, {
    stages: settings.stages, range, nowMs: ctx.nowMs(), atRiskMs: settings.atRiskMs,
    breakdown: request.breakdown ?? null,
    trend: request.trend ? new PeriodBuckets(range, request.trend, settings.timeZone) : null,
    channelOfTouch: request.breakdown?.by === 'channel' ? channelsOfTouches(index, settings.channelRules) : [],
  });
  return { from: request.from, to: request.to, timeZone: settings.timeZone, ...result };
}
