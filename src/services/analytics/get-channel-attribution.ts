import { attributeConversions, type ChannelCredit } from '../../domain/analytics/attribute-orders';
import type { AttributionModel } from '../../domain/analytics/attribution';
import type { EventMatcher } from '../../domain/analytics/event-funnel';
import type { ServiceContext } from '../context';
import { analyticsSettings, channelsOfTouches, rangeOf } from './analytics-settings';

export interface AttributionRequest { from: string; to: string; model: AttributionModel; lookbackDays: number; conversion: EventMatcher }

/** Conversions (orders by default) between two dates, credited to channels by the model. */
export async function getChannelAttribution(ctx: ServiceContext, merchantId: string, request: AttributionRequest): Promise<{ model: AttributionModel; lookbackDays: number; conversions: number; revenueSatang: number; channels: ChannelCredit[] }> {
  const settings = await analyticsSettings(ctx, merchantId);
  const range = rangeOf(settings, request.from, request.to);
  const index = await ctx.analytics.current(merchantId);
  const result = attributeConversions(index, {
    conversion: request.conversion, range, lookbackMs: request.lookbackDays * 86_400_000, model: request.model,
    revenueProperties: ['revenue', 'total'], channelOfTouch: channelsOfTouches(index, settings.channelRules),
  });
  return { model: request.model, lookbackDays: request.lookbackDays, ...result };
}
